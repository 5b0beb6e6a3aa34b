package io.memdoctor.snapshots;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A snapshot as JSON: {@code timestamp}, {@code status}, {@code error}, then every metric under its INFO name in
 * camelCase ({@code usedMemory}, {@code memFragmentationRatio}, ...). A metric Redis did not report is {@code null}.
 */
@JsonPropertyOrder({"timestamp", "instanceId", "status", "error"})
public final class SnapshotResponse {

    private final Snapshot snapshot;

    private SnapshotResponse(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    public static SnapshotResponse of(Snapshot snapshot) {
        return new SnapshotResponse(snapshot);
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
        for (Metric metric : Metric.values()) {
            metrics.put(metric.jsonName(), snapshot.get(metric));
        }
        return metrics;
    }
}
