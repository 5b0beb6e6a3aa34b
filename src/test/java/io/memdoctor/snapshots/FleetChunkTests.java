package io.memdoctor.snapshots;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A statement over the whole fleet covers whole rows and about 100,000 source rows, never more than a day. */
class FleetChunkTests {

    @Test
    void wholeRowsOfAboutAHundredThousandSourceRowsAtMostADay() {
        // 1,000 instances at 1 s: 100 s of samples, rounded down to whole minutes
        assertThat(SnapshotRetention.fleetChunk(RollupLevel.MINUTE, 1000)).isEqualTo(Duration.ofMinutes(1));
        assertThat(SnapshotRetention.fleetChunk(RollupLevel.MINUTE, 100_000)).isEqualTo(Duration.ofMinutes(1));
        assertThat(SnapshotRetention.fleetChunk(RollupLevel.MINUTE, 1)).isEqualTo(Duration.ofDays(1));
        // 100,000 minute rows of 1,000 instances: 100 minutes, 10 of the 10-minute rows each
        assertThat(SnapshotRetention.fleetChunk(RollupLevel.TEN_MINUTES, 1000)).isEqualTo(Duration.ofMinutes(100));
        // 100,000 10-minute rows of 1,000 instances: 1,000 minutes, rounded down to 16 whole hours
        assertThat(SnapshotRetention.fleetChunk(RollupLevel.HOUR, 1000)).isEqualTo(Duration.ofHours(16));
        assertThat(SnapshotRetention.fleetChunk(RollupLevel.HOUR, 0)).isEqualTo(Duration.ofDays(1));
    }
}
