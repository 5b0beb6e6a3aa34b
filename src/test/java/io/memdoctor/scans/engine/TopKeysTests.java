package io.memdoctor.scans.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TopKeysTests {

    @Test
    void keepsTheBiggestBiggestFirst() {
        TopKeys top = new TopKeys(3);
        long[] sizes = {5, 1, 9, 7, 3, 8, 2};
        for (int i = 0; i < sizes.length; i++) {
            top.offer(entry("k" + i, sizes[i]), sizes[i]);
        }
        assertThat(top.biggestFirst()).extracting(ScanResults.KeyEntry::key).containsExactly("k2", "k5", "k3");
    }

    @Test
    void onATieTheKeySeenFirstStays() {
        TopKeys top = new TopKeys(2);
        top.offer(entry("first", 10), 10);
        top.offer(entry("second", 10), 10);
        top.offer(entry("third", 10), 10);
        assertThat(top.biggestFirst()).extracting(ScanResults.KeyEntry::key).containsExactly("first", "second");
        assertThat(top.wouldAccept(10)).isFalse();
        assertThat(top.wouldAccept(11)).isTrue();
    }

    @Test
    void memoryStaysAtTheLimitWhateverIsOffered() {
        TopKeys top = new TopKeys(100);
        for (int i = 0; i < 1_000_000; i++) {
            long size = (i * 7919L) % 1_000_003;
            if (top.wouldAccept(size)) {
                top.offer(entry("k" + i, size), size);
            }
        }
        assertThat(top.biggestFirst()).hasSize(100);
        assertThat(top.biggestFirst().get(0).bytes()).isEqualTo(1_000_002L);
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TopKeys(0));
    }

    private static ScanResults.KeyEntry entry(String key, long bytes) {
        return new ScanResults.KeyEntry(key, "string", bytes, 1L, -1);
    }
}
