package io.memdoctor.snapshots;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A snapshot as JSON: {@code timestamp}, {@code status}, {@code error}, then every metric (or the ones asked for)
 * under its INFO name in camelCase ({@code usedMemory}, {@code memFragmentationRatio}, ...). A metric Redis did not
 * report is {@code null}.
 */
@JsonPropertyOrder({"timestamp", "instanceId", "status", "error"})
public final class SnapshotResponse {

    private final Snapshot snapshot;
    private final List<Metric> shown;

    private SnapshotResponse(Snapshot snapshot, List<Metric> shown) {
        this.snapshot = snapshot;
        this.shown = shown;
    }

    public static SnapshotResponse of(Snapshot snapshot) {
        return new SnapshotResponse(snapshot, Metric.all());
    }

    /** Only the given metrics (after timestamp, instanceId, status and error). */
    public static SnapshotResponse of(Snapshot snapshot, List<Metric> metrics) {
        return new SnapshotResponse(snapshot, metrics);
    }

    public Instant getTimestamp() {
        return snapshot.timestamp();
    }

    public String getInstanceId() {
        return snapshot.instanceId().value();
    }

    public String getStatus() {
        return snapshot.status().name();
    }

    public String getError() {
        return snapshot.error();
    }

    @JsonAnyGetter
    public Map<String, Object> getMetrics() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Metric metric : shown) {
            metrics.put(metric.jsonName(), snapshot.get(metric));
        }
        return metrics;
    }
}
