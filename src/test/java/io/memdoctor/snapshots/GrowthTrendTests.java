package io.memdoctor.snapshots;

import java.time.Instant;

import io.memdoctor.diagnosis.Series;
import org.junit.jupiter.api.Test;

import static io.memdoctor.diagnosis.Series.MB;
import static io.memdoctor.diagnosis.Series.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The least-squares growth rate and the projection to a limit. */
class GrowthTrendTests {

    @Test
    void aSteadyClimbProjectsWhenTheLimitIsReached() {
        GrowthTrend trend = GrowthTrend.fit(Series.of(61, (i, v) -> v.put(Metric.USED_MEMORY, 100 * MB + i * MB)),
                Metric.USED_MEMORY).orElseThrow();
        assertThat(trend.perSecond()).isCloseTo(MB, within(1.0));
        assertThat(trend.rSquared()).isCloseTo(1.0, within(1e-9));
        assertThat(trend.fittedGrowth()).isCloseTo(60.0 * MB, within(1.0));
        // 160 MB at 12:01:00, 1 MB/s: 200 MB 40 s later
        assertThat(trend.reaches(200 * MB)).contains(Instant.parse("2026-03-01T12:01:40Z"));
    }

    @Test
    void aFlatOrShortSeriesProjectsNothing() {
        GrowthTrend flat = GrowthTrend.fit(Series.of(10, (i, v) -> { }), Metric.USED_MEMORY).orElseThrow();
        assertThat(flat.rSquared()).isZero();
        assertThat(flat.reaches(1000 * MB)).isEmpty();
        assertThat(GrowthTrend.fit(Series.of(1, (i, v) -> { }), Metric.USED_MEMORY)).isEmpty();
        assertThat(START).isNotNull();
    }
}
