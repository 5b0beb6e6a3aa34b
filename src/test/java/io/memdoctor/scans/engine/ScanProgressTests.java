package io.memdoctor.scans.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScanProgressTests {

    @Test
    void unfilteredProgressIsKeysOverDbsize() {
        ScanProgress progress = new ScanProgress(false);
        progress.started(1000);
        progress.scanned(250, 12345);

        ScanProgress.Reading reading = progress.reading();
        assertThat(reading.fraction()).isEqualTo(0.25);
        assertThat(reading.keysScanned()).isEqualTo(250);
        assertThat(reading.etaSeconds()).isNotNull();
    }

    @Test
    void filteredProgressReadsTheReversedCursor() {
        ScanProgress progress = new ScanProgress(true);
        progress.started(1000);
        // a table of 8 buckets: after buckets 0, 4, 2, 6 (reverse binary order) the cursor is 1, half-way
        progress.scanned(10, 1);
        assertThat(progress.reading().fraction()).isEqualTo(0.5);
        progress.scanned(10, 3);
        assertThat(progress.reading().fraction()).isEqualTo(0.75);
    }

    @Test
    void neverClaimsTheEndBeforeScanSaysSo() {
        ScanProgress progress = new ScanProgress(false);
        progress.started(100);
        progress.scanned(150, 7);
        assertThat(progress.reading().fraction()).isLessThan(1.0);
        progress.finished();
        assertThat(progress.reading().fraction()).isEqualTo(1.0);
        assertThat(progress.reading().etaSeconds()).isZero();
    }
}
