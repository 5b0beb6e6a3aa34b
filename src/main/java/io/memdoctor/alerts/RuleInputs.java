package io.memdoctor.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.forecast.Forecast;
import io.memdoctor.snapshots.Snapshot;

/**
 * What the rules of one instance read at one sample: kept in memory by the engine, so evaluating is arithmetic.
 *
 * @param now the sample's time
 * @param latest the newest sample, OK or not
 * @param lastOk the newest OK sample ({@code latest} when it is OK), or {@code null}
 * @param downFor how long the instance has not answered, {@link Duration#ZERO} when it answers
 * @param oomGrewAt when errorstat_OOM last grew, or {@code null}
 * @param evictionsGrewAt when evicted_keys last grew, or {@code null}
 * @param ttlShare share of keys with a TTL now (0..1), {@code null} without keys
 * @param ttlShareHourMax the highest share of the last hour
 * @param forecast the instance's forecast, or {@code null}
 * @param scan the newest scan's summary, or {@code null}
 * @param criticalChecks the CRITICAL checks of the latest check run
 * @param memoryLimit the memory limit declared for the instance (its container's) in bytes, {@code null} for none
 */
record RuleInputs(Instant now, Snapshot latest, Snapshot lastOk, Duration downFor, Instant oomGrewAt,
        Instant evictionsGrewAt, Double ttlShare, Double ttlShareHourMax, Forecast forecast,
        LatestScanSummary.ScanFindings scan, List<CheckResult> criticalChecks, Long memoryLimit) {

    RuleInputs(Instant now, Snapshot latest, Snapshot lastOk, Duration downFor, Instant oomGrewAt,
            Instant evictionsGrewAt, Double ttlShare, Double ttlShareHourMax, Forecast forecast,
            LatestScanSummary.ScanFindings scan, List<CheckResult> criticalChecks) {
        this(now, latest, lastOk, downFor, oomGrewAt, evictionsGrewAt, ttlShare, ttlShareHourMax, forecast, scan,
                criticalChecks, null);
    }
}
