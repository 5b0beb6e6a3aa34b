package io.memdoctor.alerts;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The built-in rules, each with its defaults. A rule's threshold means what {@link #unit} says; {@code for} is how
 * long the condition must hold before a pending alert fires.
 */
public enum AlertRule {

    MEMORY_HIGH("memory-high", "Used memory above the threshold share of maxmemory (or of the declared memory limit,"
            + " when smaller or without maxmemory)", Severity.WARNING, 90.0, "% of maxmemory", Duration.ofMinutes(5)),
    FORECAST_FULL("forecast-full", "The forecast says full within the threshold", Severity.CRITICAL, 6.0, "hours",
            Duration.ZERO),
    OOM_ERRORS("oom-errors", "Writes refused with OOM (errorstat_OOM grows)", Severity.CRITICAL, null, null,
            Duration.ZERO),
    EVICTIONS("evictions", "Keys are being evicted (evicted_keys grows)", Severity.WARNING, null, null, Duration.ZERO),
    FRAGMENTATION("fragmentation", "Fragmentation above the threshold ratio with at least 10 MB wasted in the allocator",
            Severity.WARNING, 1.5, "mem_fragmentation_ratio", Duration.ofMinutes(10)),
    RSS_HIGH("rss-high", "RSS above the threshold share of host memory (or of the declared memory limit)",
            Severity.CRITICAL, 80.0, "% of host memory", Duration.ofMinutes(5)),
    FORK_COW("fork-cow", "Copy-on-write of a fork above the threshold share of used memory", Severity.WARNING, 50.0,
            "% of used memory", Duration.ZERO),
    INSTANCE_DOWN("instance-down", "The instance does not answer", Severity.CRITICAL, null, null,
            Duration.ofMinutes(2)),
    TTL_SHARE_DROP("ttl-share-drop", "The share of keys with a TTL dropped by the threshold within an hour",
            Severity.WARNING, 20.0, "percentage points", Duration.ZERO),
    BIG_KEY("big-key", "The newest scan found a key over the threshold", Severity.WARNING, 10.0, "MB", Duration.ZERO),
    CRITICAL_CHECK("critical-check", "A check is CRITICAL", Severity.CRITICAL, null, null, Duration.ZERO);

    private final String id;
    private final String description;
    private final Severity severity;
    private final Double defaultThreshold;
    private final String unit;
    private final Duration defaultFor;

    AlertRule(String id, String description, Severity severity, Double defaultThreshold, String unit,
            Duration defaultFor) {
        this.id = id;
        this.description = description;
        this.severity = severity;
        this.defaultThreshold = defaultThreshold;
        this.unit = unit;
        this.defaultFor = defaultFor;
    }

    /** The rule's stable name: {@code alertname} in notifications and Prometheus. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public Severity severity() {
        return severity;
    }

    /** {@code null} for rules without a threshold. */
    public Double defaultThreshold() {
        return defaultThreshold;
    }

    /** What the threshold counts in; {@code null} for rules without one. */
    public String unit() {
        return unit;
    }

    public Duration defaultFor() {
        return defaultFor;
    }

    /** The setting every instance gets until someone changes it. */
    public RuleSetting defaults() {
        return new RuleSetting(this, null, true, defaultThreshold, defaultFor);
    }

    public static Optional<AlertRule> byId(String id) {
        return Arrays.stream(values()).filter(rule -> rule.id.equals(id)).findFirst();
    }
}
