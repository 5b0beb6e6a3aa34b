package io.memdoctor.snapshots;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FragmentationLevelTests {

    static final long MB = 1024 * 1024;

    @Test
    void highNeedsBothTheRatioAndTenMegabytesOfDifference() {
        assertThat(FragmentationLevel.of(1.8, 100 * MB, 180 * MB)).isEqualTo(FragmentationLevel.HIGH);
        assertThat(FragmentationLevel.of(1.8, 10 * MB, 18 * MB)).isEqualTo(FragmentationLevel.NORMAL);
        assertThat(FragmentationLevel.of(1.4, 100 * MB, 140 * MB)).isEqualTo(FragmentationLevel.NORMAL);
    }

    /** The healthy 35 MB cache of the diagnosis work: ratio 1.51, but its extra RSS is process overhead. */
    @Test
    void aHighRatioOutsideTheAllocatorIsShownAsOverheadNotAlarm() {
        assertThat(FragmentationLevel.shown(1.84, 14 * MB, 26 * MB, 2 * MB)).isEqualTo(FragmentationLevel.OVERHEAD);
        assertThat(FragmentationLevel.shown(1.84, 100 * MB, 184 * MB, 60 * MB)).isEqualTo(FragmentationLevel.HIGH);
        // without allocator figures in INFO (not jemalloc), the ratio alone decides, as before
        assertThat(FragmentationLevel.shown(1.84, 100 * MB, 184 * MB, null)).isEqualTo(FragmentationLevel.HIGH);
        assertThat(FragmentationLevel.shown(1.2, 100 * MB, 120 * MB, 2 * MB)).isEqualTo(FragmentationLevel.NORMAL);
        assertThat(FragmentationLevel.OVERHEAD.css()).isEqualTo("frag-overhead");
    }

    @Test
    void anAlmostEmptyInstanceIsNotAlarming() {
        assertThat(FragmentationLevel.of(6.96, MB, 7 * MB)).isEqualTo(FragmentationLevel.SMALL);
        assertThat(FragmentationLevel.of(0.5, MB, MB / 2)).isEqualTo(FragmentationLevel.SMALL);
    }

    @Test
    void belowOneIsAdvisoryAndMissingIsUnknown() {
        assertThat(FragmentationLevel.of(0.8, 100 * MB, 80 * MB)).isEqualTo(FragmentationLevel.LOW);
        assertThat(FragmentationLevel.of(null, 100 * MB, 80 * MB)).isEqualTo(FragmentationLevel.UNKNOWN);
        assertThat(FragmentationLevel.HIGH.css()).isEqualTo("frag-high");
    }
}
