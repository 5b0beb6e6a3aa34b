package io.memdoctor.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.memdoctor.alerts.AlertService;
import io.memdoctor.alerts.AlertTransition;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.forecast.ForecastService;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.MemoryLimits;
import io.memdoctor.sampling.SnapshotStored;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-instance gauges for {@code /actuator/prometheus}, named as redis_exporter names them (so the
 * awesome-prometheus-alerts Redis rules work unchanged), plus the forecast, the firing alerts and the diagnosis.
 * Values come from the newest stored sample: a scrape never talks to Redis or reads the history.
 */
@Component
class RedisMetrics {

    private static final Logger log = LoggerFactory.getLogger(RedisMetrics.class);

    private final MeterRegistry registry;
    private final InstanceService instances;
    private final MemoryLimits limits;
    private final ForecastService forecasts;
    private final AlertService alerts;
    private final DiagnosisService diagnoses;
    private final Map<String, Snapshot> latest = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final Map<String, String> verdicts = new ConcurrentHashMap<>();
    private final MultiGauge firing;
    private final MultiGauge diagnosis;
    private final ScrapeDemand demand;
    private final Clock clock;
    private volatile Instant diagnosedAt;

    RedisMetrics(MeterRegistry registry, InstanceService instances, MemoryLimits limits, ForecastService forecasts,
            AlertService alerts, DiagnosisService diagnoses, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.demand = new ScrapeDemand(clock);
        this.registry = registry;
        this.instances = instances;
        this.forecasts = forecasts;
        this.alerts = alerts;
        this.diagnoses = diagnoses;
        this.firing = MultiGauge.builder("memdoctor_alert_firing")
                .description("1 for each firing alert, by rule (alertname) and severity").register(registry);
        this.diagnosis = MultiGauge.builder("memdoctor_diagnosis")
                .description("1 with the verdict of the last hour's diagnosis as a label").register(registry);
        // read by every scrape: that is how the verdicts know someone wants them
        Gauge.builder("memdoctor_diagnosis_age_seconds", this, RedisMetrics::scraped)
                .description("Seconds since the verdicts of memdoctor_diagnosis were made (NaN: not yet); they are"
                        + " made every minute while scrapes come, and within a minute of the first one")
                .register(registry);
    }

    private double scraped() {
        demand.mark();
        Instant at = diagnosedAt;
        return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
    }

    @EventListener
    void onStored(SnapshotStored event) {
        String id = event.snapshot().instanceId().value();
        Instant at = event.snapshot().timestamp();
        if (newest.merge(id, at, (seen, now) -> now.isAfter(seen) ? now : seen).isAfter(at)) {
            // stored after a newer one (the batch of a background sample behind an on-demand one, stored at
            // once): the gauges would go back in time
            return;
        }
        Snapshot previous = latest.get(id);
        // a failed sample keeps the last values (redis_up says it failed), as redis_exporter keeps its last scrape
        if (event.snapshot().isOk() || previous == null) {
            latest.put(id, event.snapshot());
        }
        up.put(id, event.snapshot().isOk() ? 1.0 : 0.0);
        meters.computeIfAbsent(id, this::register);
    }

    private final Map<String, Double> up = new ConcurrentHashMap<>();
    /** The newest sample's time per instance, OK or not. */
    private final Map<String, Instant> newest = new ConcurrentHashMap<>();

    private List<Meter> register(String id) {
        Tags tags = Tags.of("instance", id);
        return List.of(
                gauge("redis_up", "1 when the last sample succeeded", tags, s -> up.getOrDefault(id, 0.0), id),
                gauge("redis_memory_used_bytes", "used_memory", tags, value(Metric.USED_MEMORY), id),
                gauge("redis_memory_max_bytes", "maxmemory (0: no limit)", tags, value(Metric.MAXMEMORY), id),
                gauge("redis_memory_used_rss_bytes", "used_memory_rss", tags, value(Metric.USED_MEMORY_RSS), id),
                gauge("redis_memory_used_peak_bytes", "used_memory_peak", tags, value(Metric.USED_MEMORY_PEAK), id),
                gauge("redis_memory_used_dataset_bytes", "used_memory_dataset", tags,
                        value(Metric.USED_MEMORY_DATASET), id),
                gauge("redis_total_system_memory_bytes", "total_system_memory", tags,
                        value(Metric.TOTAL_SYSTEM_MEMORY), id),
                gauge("redis_mem_fragmentation_ratio", "mem_fragmentation_ratio", tags,
                        value(Metric.MEM_FRAGMENTATION_RATIO), id),
                gauge("redis_connected_clients", "connected_clients", tags, value(Metric.CONNECTED_CLIENTS), id),
                gauge("redis_blocked_clients", "blocked_clients", tags, value(Metric.BLOCKED_CLIENTS), id),
                gauge("redis_rdb_bgsave_in_progress", "rdb_bgsave_in_progress", tags,
                        value(Metric.RDB_BGSAVE_IN_PROGRESS), id),
                gauge("redis_db_keys", "keys over all databases", tags, value(Metric.KEYS), id),
                gauge("redis_db_keys_expiring", "keys with a TTL over all databases", tags, value(Metric.EXPIRES), id),
                counter("redis_evicted_keys", "evicted_keys", tags, value(Metric.EVICTED_KEYS), id),
                counter("redis_expired_keys", "expired_keys", tags, value(Metric.EXPIRED_KEYS), id),
                counter("redis_keyspace_hits", "keyspace_hits", tags, value(Metric.KEYSPACE_HITS), id),
                counter("redis_keyspace_misses", "keyspace_misses", tags, value(Metric.KEYSPACE_MISSES), id),
                counter("redis_errors", "errorstat_OOM: writes refused at maxmemory", tags.and("err", "OOM"),
                        value(Metric.ERRORSTAT_OOM), id),
                Gauge.builder("memdoctor_memory_limit_bytes", limits,
                        l -> l.of(new InstanceId(id)).map(Long::doubleValue).orElse(Double.NaN))
                        .description("The memory limit declared for the instance's container, which Redis cannot see"
                                + " (NaN: none declared); compare redis_memory_used_rss_bytes with it")
                        .tags(tags).register(registry),
                Gauge.builder("memdoctor_forecast_seconds_to_full", forecasts,
                        f -> f.cached(new InstanceId(id)).map(fc -> fc.secondsToFull() == null ? Double.NaN
                                : fc.secondsToFull().doubleValue()).orElse(Double.NaN))
                        .description("Seconds until used memory reaches its ceiling at the recent trend (NaN: not"
                                + " growing)")
                        .tags(tags).register(registry));
    }

    private ToDoubleFunction<Snapshot> value(Metric metric) {
        return snapshot -> {
            Double value = snapshot.getDouble(metric);
            return value == null ? Double.NaN : value;
        };
    }

    private Meter gauge(String name, String help, Tags tags, ToDoubleFunction<Snapshot> read, String id) {
        return Gauge.builder(name, latest, map -> {
            Snapshot snapshot = map.get(id);
            return snapshot == null ? Double.NaN : read.applyAsDouble(snapshot);
        }).description(help).tags(tags).register(registry);
    }

    private Meter counter(String name, String help, Tags tags, ToDoubleFunction<Snapshot> read, String id) {
        return FunctionCounter.builder(name, latest, map -> {
            Snapshot snapshot = map.get(id);
            double value = snapshot == null ? 0 : read.applyAsDouble(snapshot);
            return Double.isNaN(value) ? 0 : value;
        }).description(help).tags(tags).register(registry);
    }

    @EventListener
    void onTransition(AlertTransition event) {
        firing.register(alerts.firingAll().stream()
                .map(alert -> MultiGauge.Row.of(Tags.of("instance", alert.instanceId(), "alertname", alert.rule(),
                        "severity", alert.severity().name().toLowerCase(java.util.Locale.ROOT)), 1))
                .toList(), true);
    }

    /**
     * The diagnosis of the last hour, for each instance: a minute-old verdict is fine for a scrape. Only while scrapes
     * come ({@link ScrapeDemand}): diagnosing 1,000 instances every minute for nobody was a third of the dashboard's
     * background CPU (docs/benchmarks/fleet.md).
     */
    @Scheduled(initialDelay = 30, fixedDelay = 60, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
    void refreshDiagnoses() {
        if (!demand.wanted()) {
            return;
        }
        diagnoseAll();
    }

    private void diagnoseAll() {
        for (Instance instance : instances.findAll()) {
            try {
                verdicts.put(instance.id().value(), diagnoses.diagnose(instance.id().value(), null, null).verdict()
                        .name());
            }
            catch (RuntimeException ex) {
                log.debug("No diagnosis of {} for the metrics: {}", instance.id(), ex.getMessage());
            }
        }
        diagnosis.register(verdicts.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("instance", e.getKey(), "verdict", e.getValue()), 1)).toList(),
                true);
        diagnosedAt = clock.instant();
    }

    @EventListener
    void onRemoved(InstanceRemoved event) {
        String id = event.id().value();
        latest.remove(id);
        up.remove(id);
        newest.remove(id);
        verdicts.remove(id);
        List<Meter> gone = meters.remove(id);
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }
}
