package io.memdoctor.scans.engine;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging the results of several nodes: the figures of one accumulator fed every key, plus a node per key. */
class ScanResultsMergerTests {

    private static final ScanParameters TOP3 = ScanParameters.of(null, null, null, null, 3, null, null);

    @Test
    void theMergeOfTwoNodesEqualsOneScanOfAllTheirKeysWithEachKeyMarkedWithItsNode() {
        ScanAccumulator a = new ScanAccumulator(TOP3, 100);
        ScanAccumulator b = new ScanAccumulator(TOP3, 100);
        ScanAccumulator all = new ScanAccumulator(TOP3, 100);
        add(a, all, "user:1:feed", "user:*:feed", "list", 900, 90, -1);
        add(a, all, "user:2:feed", "user:*:feed", "list", 100, 10, 5_000);
        add(a, all, "session:x", "session:*", "string", 50, 5, 60_000);
        add(b, all, "user:3:feed", "user:*:feed", "list", 2000, 200, -1);
        add(b, all, "cart:9", "cart:*", "hash", 400, 40, 90_000_000);
        add(b, all, "session:y", "session:*", "string", 60, 6, -1);
        b.vanished();

        ScanResults merged = ScanResultsMerger.merge(List.of(new ScanResultsMerger.Part("10.0.0.1:7000",
                a.results()), new ScanResultsMerger.Part("10.0.0.2:7001", b.results())), 3, 100);
        ScanResults one = all.results();

        assertThat(merged.keys()).isEqualTo(6);
        assertThat(merged.bytes()).isEqualTo(one.bytes());
        assertThat(merged.keysVanished()).isEqualTo(1);
        assertThat(merged.keysWithTtl()).isEqualTo(one.keysWithTtl());
        assertThat(merged.byType()).isEqualTo(one.byType());
        assertThat(merged.patterns()).containsExactlyElementsOf(one.patterns());
        assertThat(merged.ttl()).isEqualTo(one.ttl());
        assertThat(merged.topKeys()).extracting(ScanResults.KeyEntry::key)
                .containsExactly("user:3:feed", "user:1:feed", "cart:9");
        assertThat(merged.topKeys()).extracting(ScanResults.KeyEntry::node)
                .containsExactly("10.0.0.2:7001", "10.0.0.1:7000", "10.0.0.2:7001");
        assertThat(merged.biggestByType().get("list").mostElements().key()).isEqualTo("user:3:feed");
        assertThat(merged.biggestByType().get("list").mostElements().node()).isEqualTo("10.0.0.2:7001");
        assertThat(merged.biggestByType().get("string").mostBytes().key()).isEqualTo("session:y");
    }

    @Test
    void patternsBeyondTheCapGoToOtherAndANodeWithoutMemoryUsageDropsTheByteFigures() {
        ScanAccumulator a = new ScanAccumulator(TOP3, 100);
        ScanAccumulator b = new ScanAccumulator(TOP3, 100);
        b.memoryUsageUnavailable("MEMORY USAGE was refused");
        for (int i = 0; i < 5; i++) {
            a.add("p" + i + ":1", "p" + i + ":*", "string", 10 * (i + 1), i + 1, -1);
            for (int k = 0; k <= i; k++) {
                b.add("p" + i + ":2:" + k, "p" + i + ":*", "string", -1, i + 1, -1);
            }
        }
        ScanResults merged = ScanResultsMerger.merge(List.of(new ScanResultsMerger.Part("a:1", a.results()),
                new ScanResultsMerger.Part("b:2", b.results())), 3, 2);

        assertThat(merged.memoryUsageAvailable()).isFalse();
        assertThat(merged.bytes()).isNull();
        assertThat(merged.note()).startsWith("b:2: ");
        assertThat(merged.patterns()).extracting(ScanResults.PatternEntry::pattern)
                .containsExactly("p4:*", "p3:*", ScanResults.OTHER_PATTERN);
        assertThat(merged.patterns().get(0).keys()).isEqualTo(6);
        assertThat(merged.patterns().get(2).keys()).isEqualTo(2 + 3 + 4);
        assertThat(merged.patterns().stream().mapToDouble(ScanResults.PatternEntry::share).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static void add(ScanAccumulator node, ScanAccumulator all, String key, String pattern, String type,
            long bytes, long elements, long ttl) {
        node.add(key, pattern, type, bytes, elements, ttl);
        all.add(key, pattern, type, bytes, elements, ttl);
    }
}
