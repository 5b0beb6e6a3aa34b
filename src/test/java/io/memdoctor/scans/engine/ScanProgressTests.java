package io.memdoctor.scans.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScanProgressTests {

    @Test
    void unfilteredProgressIsKeysOverDbsize() {
        ScanProgress progress = new ScanProgress(false);
        progress.started(1000);
        progress.scanned(250, 12345);

        ScanProgress.Snapshot snapshot = progress.snapshot();
        assertThat(snapshot.fraction()).isEqualTo(0.25);
        assertThat(snapshot.keysScanned()).isEqualTo(250);
        assertThat(snapshot.etaSeconds()).isNotNull();
    }

    @Test
    void filteredProgressReadsTheReversedCursor() {
        ScanProgress progress = new ScanProgress(true);
        progress.started(1000);
        // a table of 8 buckets: after buckets 0, 4, 2, 6 (reverse binary order) the cursor is 1, half-way
        progress.scanned(10, 1);
        assertThat(progress.snapshot().fraction()).isEqualTo(0.5);
        progress.scanned(10, 3);
        assertThat(progress.snapshot().fraction()).isEqualTo(0.75);
    }

    @Test
    void neverClaimsTheEndBeforeScanSaysSo() {
        ScanProgress progress = new ScanProgress(false);
        progress.started(100);
        progress.scanned(150, 7);
        assertThat(progress.snapshot().fraction()).isLessThan(1.0);
        progress.finished();
        assertThat(progress.snapshot().fraction()).isEqualTo(1.0);
        assertThat(progress.snapshot().etaSeconds()).isZero();
    }
}
