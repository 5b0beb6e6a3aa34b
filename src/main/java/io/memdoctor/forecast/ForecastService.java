package io.memdoctor.forecast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.MemoryLimitChanged;
import io.memdoctor.instances.MemoryLimits;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The forecast of every instance, made again when older than {@code memdoctor.forecast.refresh}, so pages, alert
 * rules and the Prometheus scrape can all ask on every request without refitting each time.
 */
@Service
public class ForecastService {

    /** The recent trend first: it is the one chosen when it has enough points. */
    static final Map<String, Duration> WINDOWS = windows();

    private final UsedMemorySeries series;
    private final SnapshotRepository snapshots;
    private final MemoryLimits limits;
    private final Clock clock;
    private final Duration refresh;
    private final Map<InstanceId, Forecast> cache = new ConcurrentHashMap<>();

    ForecastService(UsedMemorySeries series, SnapshotRepository snapshots, MemoryLimits limits, Clock clock,
            ForecastProperties properties) {
        this.series = series;
        this.limits = limits;
        this.snapshots = snapshots;
        this.clock = clock;
        this.refresh = properties.refresh();
    }

    private static Map<String, Duration> windows() {
        Map<String, Duration> windows = new LinkedHashMap<>();
        windows.put("1h", Duration.ofHours(1));
        windows.put("6h", Duration.ofHours(6));
        return windows;
    }

    /** The instance's forecast, at most {@code refresh} old. */
    public Forecast forecast(InstanceId id) {
        Instant now = clock.instant();
        Forecast cached = cache.get(id);
        if (cached != null && Duration.between(cached.computedAt(), now).compareTo(refresh) < 0) {
            return cached;
        }
        Forecast made = make(id, now);
        cache.put(id, made);
        return made;
    }

    /** The last forecast made, without making one (the Prometheus scrape must stay cheap). */
    public Optional<Forecast> cached(InstanceId id) {
        return Optional.ofNullable(cache.get(id));
    }

    /** Makes the forecast now, whatever the cache holds (benchmarks measure this). */
    public Forecast remake(InstanceId id) {
        Forecast made = make(id, clock.instant());
        cache.put(id, made);
        return made;
    }

    Forecast make(InstanceId id, Instant now) {
        Optional<Snapshot> latest = snapshots.latestOk(id);
        if (latest.isEmpty()) {
            return Forecast.noData(id.value(), now);
        }
        Snapshot last = latest.get();
        // the smaller of maxmemory and the container's declared limit; the host's memory without either
        MemoryCeiling ceiling = MemoryCeiling.of(last, limits.of(id).orElse(null));
        Map<String, List<TheilSen.Point>> points = new LinkedHashMap<>();
        Optional<Instant> rolledUntil = series.rolledUntil(id);
        WINDOWS.forEach((name, window) -> points.put(name, series.read(id, window, now, rolledUntil)));
        return Forecaster.forecast(id.value(), points, ceiling.known() ? ceiling.bytes() : null, ceiling.code(),
                last.getLong(Metric.USED_MEMORY), now);
    }

    @EventListener
    void onRemoved(InstanceRemoved event) {
        cache.remove(event.id());
    }

    /** A forecast against the old ceiling is made again at the next ask (on this replica at once, on others within
     * {@code refresh}). */
    @EventListener
    void onLimitChanged(MemoryLimitChanged event) {
        cache.remove(event.id());
    }
}
