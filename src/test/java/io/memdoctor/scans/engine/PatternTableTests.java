package io.memdoctor.scans.engine;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PatternTableTests {

    @Test
    void addsUpPerPatternBiggestFirstWithShares() {
        PatternTable table = new PatternTable(10);
        table.add("a:*", 100, true);
        table.add("b:*", 300, false);
        table.add("a:*", 100, false);

        List<ScanResults.PatternEntry> entries = table.entries(true);
        assertThat(entries).containsExactly(new ScanResults.PatternEntry("b:*", 1, 300L, 0, 0.6),
                new ScanResults.PatternEntry("a:*", 2, 200L, 1, 0.4));
    }

    @Test
    void beyondTheCapNewPatternsGoToOneOtherRow() {
        PatternTable table = new PatternTable(2);
        table.add("a", 1, false);
        table.add("b", 1, false);
        for (int i = 0; i < 100_000; i++) {
            table.add("random-" + i, 2, i % 2 == 0);
        }
        table.add("a", 1, false);

        List<ScanResults.PatternEntry> entries = table.entries(true);
        assertThat(table.overflowed()).isTrue();
        assertThat(entries).hasSize(3);
        ScanResults.PatternEntry other = entries.get(2);
        assertThat(other.pattern()).isEqualTo(ScanResults.OTHER_PATTERN);
        assertThat(other.keys()).isEqualTo(100_000);
        assertThat(other.keysWithTtl()).isEqualTo(50_000);
        assertThat(entries.get(0)).isEqualTo(new ScanResults.PatternEntry("a", 2, 2L,
                0, 2.0 / 200_003));
    }

    @Test
    void withoutBytesSharesAreOfKeys() {
        PatternTable table = new PatternTable(10);
        table.add("a", 0, false);
        table.add("b", 0, false);
        table.add("b", 0, false);
        table.add("b", 0, false);

        assertThat(table.entries(false)).extracting(ScanResults.PatternEntry::pattern, ScanResults.PatternEntry::bytes,
                ScanResults.PatternEntry::share).containsExactly(org.assertj.core.groups.Tuple.tuple("b", null, 0.75),
                org.assertj.core.groups.Tuple.tuple("a", null, 0.25));
    }
}
