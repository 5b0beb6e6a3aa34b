package io.memdoctor.scans;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScanComparerTests {

    @Test
    void patternsAndKeysThatGrewComeFirstWithAbsoluteAndRelativeChanges() {
        ScanRecord before = scan("a", results(
                List.of(pattern("queue:*", 10, 1000), pattern("user:*", 100, 5000), pattern("old:*", 5, 50)),
                List.of(key("queue:1", "list", 900, 90), key("user:1", "hash", 300, 3))));
        ScanRecord after = scan("b", results(
                List.of(pattern("queue:*", 10, 9000), pattern("user:*", 90, 4500), pattern("new:*", 1, 10)),
                List.of(key("queue:1", "list", 8900, 890), key("fresh", "string", 100, 100))));

        ScanComparison comparison = ScanComparer.compare(before, after);

        ScanComparison.PatternChange queue = comparison.patterns().get(0);
        assertThat(queue.pattern()).isEqualTo("queue:*");
        assertThat(queue.trend()).isEqualTo("grew");
        assertThat(queue.bytes()).isEqualTo(new ScanComparison.Delta(1000L, 9000L, 8000L, 800.0));
        assertThat(queue.keys()).isEqualTo(new ScanComparison.Delta(10L, 10L, 0L, 0.0));
        assertThat(comparison.patterns()).extracting(ScanComparison.PatternChange::pattern, ScanComparison.PatternChange::trend)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("queue:*", "grew"),
                        org.assertj.core.groups.Tuple.tuple("user:*", "shrank"),
                        org.assertj.core.groups.Tuple.tuple("old:*", "gone"),
                        org.assertj.core.groups.Tuple.tuple("new:*", "new"));

        assertThat(comparison.topKeys()).extracting(ScanComparison.KeyChange::key, ScanComparison.KeyChange::trend)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("queue:1", "grew"),
                        org.assertj.core.groups.Tuple.tuple("user:1", "gone"),
                        org.assertj.core.groups.Tuple.tuple("fresh", "new"));
        assertThat(comparison.topKeys().get(0).elements().percent()).isEqualTo(888.8888888888889);
        assertThat(comparison.total().bytes().change()).isEqualTo(13_510L - 6050L);
        assertThat(comparison.base().id()).isEqualTo("a");
    }

    @Test
    void withoutBytesOnEitherSideTheCountsDecide() {
        ScanRecord before = scan("a", results(List.of(pattern("q:*", 1, 100)), List.of(key("q:1", "list", 100, 5))));
        ScanResults noBytes = new ScanResults(1, 0, 0, null, 0, false, "refused", List.of(key("q:1", "list", null, 50)),
                Map.of(), Map.of(), List.of(new ScanResults.PatternEntry("q:*", 3, null, 0, 1.0)), List.of());
        ScanComparison comparison = ScanComparer.compare(before, scan("b", noBytes));

        assertThat(comparison.patterns().get(0).bytes().after()).isNull();
        assertThat(comparison.patterns().get(0).trend()).isEqualTo("grew");
        assertThat(comparison.topKeys().get(0).trend()).isEqualTo("grew");
        assertThat(comparison.topKeys().get(0).bytes().change()).isNull();
    }

    @Test
    void aListThatGainedItemsButKeptItsSampledSizeStillGrew() {
        ScanRecord before = scan("a", results(List.of(pattern("q", 1, 100)), List.of(key("q", "list", 100, 5))));
        ScanRecord after = scan("b", results(List.of(pattern("q", 1, 100)), List.of(key("q", "list", 100, 7))));
        assertThat(ScanComparer.compare(before, after).topKeys().get(0).trend()).isEqualTo("grew");
        assertThat(ScanComparer.compare(before, before).topKeys().get(0).trend()).isEqualTo("same");
    }

    @Test
    void keysOfTheSameNameInTwoDatabasesAreTwoKeys() {
        ScanRecord before = scan("a", results(List.of(pattern("user:*", 2, 300)),
                List.of(key("user:1", "hash", 100, 1, 0), key("user:1", "hash", 200, 2, 3))));
        ScanRecord after = scan("b", results(List.of(pattern("user:*", 2, 5200)),
                List.of(key("user:1", "hash", 5000, 50, 3), key("user:1", "hash", 100, 1, 0))));

        assertThat(ScanComparer.compare(before, after).topKeys())
                .extracting(ScanComparison.KeyChange::key, ScanComparison.KeyChange::db,
                        k -> k.bytes().before(), k -> k.bytes().after(), ScanComparison.KeyChange::trend)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("user:1", 3, 200L, 5000L, "grew"),
                        org.assertj.core.groups.Tuple.tuple("user:1", 0, 100L, 100L, "same"));
    }

    private static ScanRecord scan(String id, ScanResults results) {
        return new ScanRecord(id, "cache", ScanStatus.DONE, ScanParameters.defaults(), Instant.EPOCH, Instant.EPOCH,
                results.keys(), results.keys(), 1000, null, results, results.keys(), results.bytes());
    }

    private static ScanResults results(List<ScanResults.PatternEntry> patterns, List<ScanResults.KeyEntry> keys) {
        long count = patterns.stream().mapToLong(ScanResults.PatternEntry::keys).sum();
        long bytes = patterns.stream().mapToLong(ScanResults.PatternEntry::bytes).sum();
        return new ScanResults(count, 0, 0, bytes, 0, true, null, keys, Map.of(),
                Map.of("list", new ScanResults.TypeTotals(count, bytes, count)), patterns, List.of());
    }

    private static ScanResults.PatternEntry pattern(String name, long keys, long bytes) {
        return new ScanResults.PatternEntry(name, keys, bytes, 0, 0);
    }

    private static ScanResults.KeyEntry key(String name, String type, Integer bytes, long elements) {
        return new ScanResults.KeyEntry(name, type, bytes == null ? null : bytes.longValue(), elements, -1);
    }

    private static ScanResults.KeyEntry key(String name, String type, int bytes, long elements, int db) {
        return new ScanResults.KeyEntry(name, type, (long) bytes, elements, -1, null, db);
    }
}
