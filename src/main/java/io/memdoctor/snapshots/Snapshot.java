package io.memdoctor.snapshots;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import io.memdoctor.instances.InstanceId;

/**
 * What one sample of one instance saw.
 *
 * @param instanceId the instance sampled
 * @param timestamp when INFO answered (or the attempt ended)
 * @param status OK, or why there are no values
 * @param error the reason of a failed sample, {@code null} when OK
 * @param values metric values; a metric Redis did not report is missing, never 0
 */
public record Snapshot(InstanceId instanceId, Instant timestamp, SnapshotStatus status, String error,
        Map<Metric, Object> values) {

    public Snapshot {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(status, "status");
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** A successful sample. */
    public static Snapshot ok(InstanceId instanceId, Instant timestamp, Map<Metric, Object> values) {
        return new Snapshot(instanceId, timestamp, SnapshotStatus.OK, null, values);
    }

    /** A failed sample: no values, a reason. */
    public static Snapshot failed(InstanceId instanceId, Instant timestamp, SnapshotStatus status, String reason) {
        return new Snapshot(instanceId, timestamp, status, reason, Map.of());
    }

    public boolean isOk() {
        return status == SnapshotStatus.OK;
    }

    /** The raw value, or {@code null} when absent. */
    public Object get(Metric metric) {
        return values.get(metric);
    }

    /** A numeric value as a long, or {@code null}. */
    public Long getLong(Metric metric) {
        return values.get(metric) instanceof Number n ? n.longValue() : null;
    }

    /** A numeric value as a double, or {@code null}. */
    public Double getDouble(Metric metric) {
        return values.get(metric) instanceof Number n ? n.doubleValue() : null;
    }

    /** A text value, or {@code null}. */
    public String getText(Metric metric) {
        Object value = values.get(metric);
        return value == null ? null : value.toString();
    }
}
