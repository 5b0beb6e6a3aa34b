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
