package io.memdoctor.checks;

import java.time.Duration;
import java.util.List;

import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import org.junit.jupiter.api.Test;

import static io.memdoctor.checks.Samples.MB;
import static io.memdoctor.checks.Samples.NOW;
import static io.memdoctor.checks.Samples.healthy;
import static org.assertj.core.api.Assertions.assertThat;

/** Facts drawn from recorded history: the largest copy-on-write, OOM growth across restarts, the TTL share. */
class HistoryFactsTests {

    @Test
    void largestCopyOnWriteAndOomGrowthAcrossARestart() {
        List<Snapshot> day = List.of(
                healthy().set(Metric.ERRORSTAT_OOM, 5L).at(NOW.minusSeconds(300)),
                healthy().set(Metric.ERRORSTAT_OOM, 9L).set(Metric.CURRENT_COW_PEAK, 300 * MB).at(NOW.minusSeconds(200)),
                healthy().set(Metric.ERRORSTAT_OOM, 2L).set(Metric.RDB_LAST_COW_SIZE, 120 * MB).at(NOW.minusSeconds(100)),
                healthy().set(Metric.ERRORSTAT_OOM, 3L).at(NOW));
        HistoryFacts facts = HistoryFacts.of(Duration.ofHours(24), day, day);
        assertThat(facts.largestCow()).isEqualTo(300 * MB);
        assertThat(facts.largestCowAt()).isEqualTo(NOW.minusSeconds(200));
        // 5 -> 9 (+4), restart -> 2 (+2), 2 -> 3 (+1)
        assertThat(facts.oomErrors()).isEqualTo(7);
    }

    @Test
    void highestTtlShareIgnoresNearlyEmptyKeyspaces() {
        List<Snapshot> hour = List.of(
                healthy().set(Metric.KEYS, 10L).set(Metric.EXPIRES, 10L).at(NOW.minusSeconds(300)),
                healthy().set(Metric.KEYS, 1000L).set(Metric.EXPIRES, 900L).at(NOW.minusSeconds(200)),
                healthy().set(Metric.KEYS, 2000L).set(Metric.EXPIRES, 900L).at(NOW));
        HistoryFacts facts = HistoryFacts.of(Duration.ofHours(24), hour, hour);
        assertThat(facts.highestTtlShare()).isEqualTo(0.9);
        assertThat(facts.highestTtlShareAt()).isEqualTo(NOW.minusSeconds(200));
        assertThat(facts.usedTrend()).isPresent();
    }
}
