package io.memdoctor.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.forecast.Forecast;
import io.memdoctor.format.Units;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/** Whether each rule's condition holds on the inputs of one instance (RuleInputs). Pure: the engine owns time and state. */
final class RuleConditions {

    /** A counter that grew stays "growing" this long, so refusals every few samples make one alert, not many. */
    static final Duration COUNTER_QUIET = Duration.ofMinutes(5);
    static final long MB = 1024L * 1024;
    /** Fragmentation below this much wasted memory is not worth an alert, whatever the ratio (near-empty instances). */
    static final long FRAGMENTATION_MIN_WASTE = 10 * MB;
    /** The TTL-share rule ignores instances with fewer keys: a handful of keys swings the share by itself. */
    static final long TTL_MIN_KEYS = 100;

    private RuleConditions() {
    }

    static Optional<Condition> evaluate(RuleSetting setting, RuleInputs f) {
        Double t = setting.threshold();
        Snapshot s = f.lastOk();
        boolean ok = f.latest() != null && f.latest().isOk();
        return switch (setting.rule()) {
            case INSTANCE_DOWN -> f.downFor().isZero() ? Optional.empty()
                    : Optional.of(condition("Not answering for " + Units.span(f.downFor().toSeconds()) + ": "
                            + f.latest().error(), "downSeconds", f.downFor().toSeconds(), "error", f.latest().error()));
            case MEMORY_HIGH -> {
                Long used = ok ? s.getLong(Metric.USED_MEMORY) : null;
                // maxmemory, or the declared limit when smaller or without maxmemory; never the host's memory
                MemoryCeiling ceiling = ok ? MemoryCeiling.of(s, f.memoryLimit()) : MemoryCeiling.NONE;
                long max = ceiling.bytes();
                if (used == null || !(ceiling.maxmemory() || ceiling.declared()) || used * 100.0 / max <= t) {
                    yield Optional.empty();
                }
                yield Optional.of(condition(String.format(Locale.ROOT, "Used memory %s is %.1f %% of %s %s",
                        mb(used), used * 100.0 / max, ceiling.label(), mb(max)), "usedMemory", used,
                        ceiling.maxmemory() ? "maxmemory" : "memoryLimit", max));
            }
            case FORECAST_FULL -> {
                Forecast fc = f.forecast();
                if (fc == null || fc.secondsToFull() == null || fc.secondsToFull() > t * 3600) {
                    yield Optional.empty();
                }
                String when = Forecast.FULL.equals(fc.status()) ? "is at its " + fc.ceiling() + " ceiling now"
                        : "will be full (" + fc.ceiling() + " " + mb(fc.ceilingBytes()) + ") in "
                                + Units.span(fc.secondsToFull()) + ", at "
                                + fc.fullAt() + String.format(Locale.ROOT, ", growing %.1f MB/h", fc.ratePerHour() / MB);
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("secondsToFull", fc.secondsToFull());
                values.put("fullAt", fc.fullAt() == null ? null : fc.fullAt().toString());
                values.put("ceilingBytes", fc.ceilingBytes());
                values.put("ceiling", fc.ceiling());
                values.put("usedBytes", fc.usedBytes());
                values.put("ratePerHour", fc.ratePerHour());
                values.put("window", fc.window());
                values.put("confidence", fc.confidence());
                yield Optional.of(new Condition("Used memory " + when, values));
            }
            case OOM_ERRORS -> recent(f.oomGrewAt(), f.now()) && s != null
                    ? Optional.of(condition("Redis refuses writes with OOM: errorstat_OOM is "
                            + s.getLong(Metric.ERRORSTAT_OOM), "errorstatOom", s.getLong(Metric.ERRORSTAT_OOM),
                            "usedMemory", s.getLong(Metric.USED_MEMORY), "maxmemory", s.getLong(Metric.MAXMEMORY)))
                    : Optional.empty();
            case EVICTIONS -> recent(f.evictionsGrewAt(), f.now()) && s != null
                    ? Optional.of(condition("Redis is evicting keys (" + s.getText(Metric.MAXMEMORY_POLICY)
                            + "): evicted_keys is " + s.getLong(Metric.EVICTED_KEYS), "evictedKeys",
                            s.getLong(Metric.EVICTED_KEYS), "maxmemoryPolicy", s.getText(Metric.MAXMEMORY_POLICY)))
                    : Optional.empty();
            case FRAGMENTATION -> {
                Double ratio = ok ? s.getDouble(Metric.MEM_FRAGMENTATION_RATIO) : null;
                Long fragBytes = ok ? s.getLong(Metric.ALLOCATOR_FRAG_BYTES) : null;
                Long rssBytes = ok ? s.getLong(Metric.ALLOCATOR_RSS_BYTES) : null;
                long waste = (fragBytes == null ? 0 : fragBytes) + (rssBytes == null ? 0 : rssBytes);
                if (ratio == null || ratio <= t || waste < FRAGMENTATION_MIN_WASTE) {
                    yield Optional.empty();
                }
                yield Optional.of(condition(String.format(Locale.ROOT,
                        "mem_fragmentation_ratio %.2f with %s wasted in the allocator (activedefrag or a restart "
                                + "gives it back)", ratio, mb(waste)),
                        "memFragmentationRatio", ratio, "allocatorWasteBytes", waste,
                        "allocatorFragRatio", s.getDouble(Metric.ALLOCATOR_FRAG_RATIO)));
            }
            case RSS_HIGH -> {
                Long rss = ok ? s.getLong(Metric.USED_MEMORY_RSS) : null;
                // a container's cgroup counts RSS against its limit: the declared one stands in for the host
                MemoryCeiling room = ok ? MemoryCeiling.ofProcess(s, f.memoryLimit()) : MemoryCeiling.NONE;
                long host = room.bytes();
                if (rss == null || !room.known() || rss * 100.0 / host <= t) {
                    yield Optional.empty();
                }
                yield Optional.of(condition(String.format(Locale.ROOT, "RSS %s is %.1f %% of %s %s",
                        mb(rss), rss * 100.0 / host, room.declared() ? "the memory limit (declared)" : "host memory",
                        mb(host)), "usedMemoryRss", rss, room.declared() ? "memoryLimit" : "totalSystemMemory", host));
            }
            case FORK_COW -> {
                Long used = ok ? s.getLong(Metric.USED_MEMORY) : null;
                Long cow = ok ? max(s.getLong(Metric.CURRENT_COW_SIZE), s.getLong(Metric.CURRENT_COW_PEAK)) : null;
                if (used == null || cow == null || used <= 0 || cow * 100.0 / used <= t) {
                    yield Optional.empty();
                }
                yield Optional.of(condition(String.format(Locale.ROOT,
                        "A fork's copy-on-write reached %s, %.1f %% of used memory %s", mb(cow), cow * 100.0 / used,
                        mb(used)), "cowBytes", cow, "usedMemory", used));
            }
            case TTL_SHARE_DROP -> {
                Long keys = ok ? s.getLong(Metric.KEYS) : null;
                if (f.ttlShare() == null || f.ttlShareHourMax() == null || keys == null || keys < TTL_MIN_KEYS
                        || (f.ttlShareHourMax() - f.ttlShare()) * 100 < t) {
                    yield Optional.empty();
                }
                yield Optional.of(condition(String.format(Locale.ROOT,
                        "Keys with a TTL fell from %.1f %% to %.1f %% of %d keys within an hour: new keys without "
                                + "a TTL never leave", f.ttlShareHourMax() * 100, f.ttlShare() * 100, keys),
                        "ttlShare", f.ttlShare(), "ttlShareHourMax", f.ttlShareHourMax(), "keys", keys));
            }
            case BIG_KEY -> {
                LatestScanSummary.ScanFindings scan = f.scan();
                if (scan == null) {
                    yield Optional.empty();
                }
                yield scan.bigKeys().stream().filter(k -> k.bytes() != null && k.bytes() >= t * MB).findFirst()
                        .map(k -> condition("Key " + k.cliKey() + " (" + k.type() + ") uses " + mb(k.bytes())
                                + " in the scan of " + scan.finishedAt(), "key", k.key(), "bytes", k.bytes(),
                                "elements", k.elements(), "type", k.type()));
            }
            case CRITICAL_CHECK -> {
                List<CheckResult> critical = f.criticalChecks();
                if (critical == null || critical.isEmpty()) {
                    yield Optional.empty();
                }
                yield Optional.of(condition("CRITICAL: " + critical.get(0).title()
                        + (critical.size() > 1 ? " (and " + (critical.size() - 1) + " more)" : ""),
                        "checks", critical.stream().map(CheckResult::id).toList()));
            }
        };
    }

    private static boolean recent(Instant grewAt, Instant now) {
        return grewAt != null && Duration.between(grewAt, now).compareTo(COUNTER_QUIET) < 0;
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    static String mb(Long bytes) {
        return bytes == null ? "?" : String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
    }

    private static Condition condition(String summary, Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return new Condition(summary, values);
    }
}
