package io.memdoctor.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.memdoctor.format.Units;
import io.memdoctor.snapshots.GrowthTrend;
import io.memdoctor.snapshots.FragmentationLevel;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;

import static io.memdoctor.format.Units.bytes;
import static io.memdoctor.format.Units.conf;
import static io.memdoctor.format.Units.duration;
import static io.memdoctor.format.Units.percent;
import static io.memdoctor.format.Units.utc;

/**
 * The ceiling and the room under it: {@code maxmemory-unset}, {@code maxmemory-headroom}, {@code memory-peak} and
 * {@code memory-trend}. Where a memory limit is declared for the instance (its container's), it stands in for the
 * host's memory, which is all INFO knows of ({@link MemoryCeiling}); {@link DeclaredLimitRules} compares maxmemory
 * with it.
 */
final class MemoryLimitRules {

    /** Share of host memory a suggested maxmemory may take once fork, buffers and allocator are counted. */
    static final double HOST_BUDGET = 0.9;
    /** jemalloc's usual overhead when the instance is too small for its own ratio to mean anything. */
    static final double DEFAULT_ALLOCATOR_OVERHEAD = 0.1;
    /** MEMORY DOCTOR: a peak above 150% of current use. */
    static final double PEAK_RATIO = 1.5;
    /** MEMORY DOCTOR: under 5 MB allocated, ratios say nothing. */
    static final long SMALL_INSTANCE = 5 * Units.MB;
    /** A trend needs this many samples over this span before it is extrapolated a day ahead. */
    static final int TREND_MIN_POINTS = 6;
    static final Duration TREND_MIN_SPAN = Duration.ofSeconds(30);
    /** And must explain most of the movement: a noisy series is not a trend. */
    static final double TREND_MIN_R2 = 0.7;

    private MemoryLimitRules() {
    }

    static CheckResult maxmemoryUnset(CheckContext c) {
        String id = "maxmemory-unset";
        Long maxmemory = c.value(Metric.MAXMEMORY);
        if (maxmemory == null) {
            return CheckResult.unknown(id, "maxmemory", "INFO did not report maxmemory.");
        }
        long used = c.valueOr(Metric.USED_MEMORY, 0);
        if (maxmemory > 0) {
            return CheckResult.ok(id, "maxmemory is set", "maxmemory " + bytes(maxmemory) + "; used_memory "
                    + bytes(used) + " (" + percent((double) used / maxmemory) + ").");
        }
        MemoryCeiling room = c.process();
        String policy = c.text(Metric.MAXMEMORY_POLICY);
        String evidence = "maxmemory 0 (no limit); used_memory " + bytes(used)
                + (room.known() ? " of " + room.describe() + " (" + percent((double) used / room.bytes()) + ")" : "")
                + "; maxmemory-policy " + policy + " has nothing to act on.";
        long suggested = room.declared() ? DeclaredLimitRules.suggested(room.bytes()) : suggestedMaxmemory(c, room.bytes());
        String size = suggested > 0 ? conf(suggested) : "<size>";
        String remedy = "CONFIG SET maxmemory " + size + "\nCONFIG SET maxmemory-policy allkeys-lru   # for a cache\n"
                + "CONFIG REWRITE   # or in redis.conf: maxmemory " + size + "\n";
        if (room.declared()) {
            remedy += "# " + size + " is about " + percent(DeclaredLimitRules.SHARE) + " of the " + room.describe()
                    + ": the rest is headroom for fork copy-on-write, client buffers and fragmentation, which the"
                    + " container's limit counts too.\n";
        }
        else {
            remedy += (suggested > 0 ? "# " + size + " leaves room under " + bytes(room.bytes())
                    + " for fork copy-on-write, client buffers and allocator overhead;"
                    + " in a container, size it from the container's memory limit instead.\n" : "")
                    + "# in a container, INFO shows the host's memory, not the container's limit: declare the limit ("
                    + DeclaredLimitRules.SETTING + ") and the dashboard measures against it.\n";
        }
        // at the container's limit the kernel kills Redis: no eviction, no error first
        boolean nearKill = room.declared() && used >= HOST_BUDGET * room.bytes();
        return new CheckResult(id, nearKill ? CheckSeverity.CRITICAL : CheckSeverity.WARNING,
                nearKill ? "maxmemory is not set and used_memory is at " + percent((double) used / room.bytes())
                        + " of the memory limit: the OOM killer is next"
                        : "maxmemory is not set: Redis grows until the OS or the container kills it",
                evidence, remedy.strip());
    }

    static CheckResult headroom(CheckContext c) {
        String id = "maxmemory-headroom";
        MemoryCeiling room = c.process();
        // the container's limit when one is declared (its cgroup counts the fork's copy too), else the host's memory
        String under = room.declared() ? "the memory limit" : "host memory";
        String title = "Room under " + under + " for fork copy-on-write, buffers and the allocator";
        Long maxmemory = c.value(Metric.MAXMEMORY);
        long system = room.bytes();
        if (maxmemory == null || system <= 0) {
            return CheckResult.unknown(id, title, "INFO did not report maxmemory and total_system_memory.");
        }
        if (maxmemory == 0) {
            return new CheckResult(id, CheckSeverity.INFO, "No maxmemory: there is no ceiling to leave room under",
                    "maxmemory 0; see maxmemory-unset.", "");
        }
        double overheadRatio = allocatorOverhead(c);
        long allocator = (long) (maxmemory * overheadRatio);
        long buffers = c.valueOr(Metric.MEM_CLIENTS_NORMAL, 0) + c.valueOr(Metric.MEM_NOT_COUNTED_FOR_EVICT, 0);
        long cow = c.history().largestCow();
        long needed = maxmemory + allocator + buffers + cow;
        String cowText = cow > 0
                ? "largest copy-on-write seen " + bytes(cow) + " (" + utc(c.history().largestCowAt()) + ")"
                : "no fork seen in the last " + duration(c.history().window())
                        + " (copy-on-write counted as 0: measure it with a BGSAVE at a quiet time"
                        + persistence(c) + ")";
        String evidence = "maxmemory " + bytes(maxmemory) + " + allocator overhead " + bytes(allocator) + " ("
                + percent(overheadRatio) + ") + client and replica buffers " + bytes(buffers) + " + " + cowText
                + " = " + bytes(needed) + " of " + (room.declared() ? room.describe() : bytes(system) + " total_system_memory")
                + " (" + percent((double) needed / system) + ").";
        if (needed <= HOST_BUDGET * system) {
            return CheckResult.ok(id, "Enough room under " + under, evidence);
        }
        long suggested = (long) ((HOST_BUDGET * system - buffers - cow) / (1 + overheadRatio));
        String remedy = suggested > 0
                ? "CONFIG SET maxmemory " + conf(suggested) + "\nCONFIG REWRITE   # or in redis.conf: maxmemory " + conf(suggested)
                        + "\n# or give " + (room.declared() ? "the container" : "the host")
                        + " more memory, or schedule BGSAVE / BGREWRITEAOF off-peak to shrink copy-on-write"
                : "# the forks alone need more than " + (room.declared() ? "the memory limit allows: raise the container's"
                        + " limit" : "the host has: give the host more memory") + ", or move persistence to a replica";
        boolean over = needed > system;
        return new CheckResult(id, over ? CheckSeverity.CRITICAL : CheckSeverity.WARNING,
                over ? "maxmemory plus fork copy-on-write exceeds " + under + ": a BGSAVE at the limit can get Redis killed"
                        : "Little room under " + under + " for fork copy-on-write and buffers",
                evidence, remedy);
    }

    /** What CONFIG GET says about persistence, which decides whether forks will come. */
    private static String persistence(CheckContext c) {
        if (!c.settings().available()) {
            return "";
        }
        String save = c.settings().get("save").orElse("");
        boolean aof = "yes".equals(c.settings().get("appendonly").orElse("no"));
        if (save.isBlank() && !aof) {
            return "; save \"\" and appendonly no: only replicas' full syncs and manual BGSAVEs fork";
        }
        return "; forks will come: save \"" + save + "\", appendonly " + (aof ? "yes" : "no");
    }

    private static double allocatorOverhead(CheckContext c) {
        double ratio = c.ratio(Metric.MEM_FRAGMENTATION_RATIO);
        FragmentationLevel level = FragmentationLevel.of(c.latest());
        if (Double.isNaN(ratio) || level == FragmentationLevel.SMALL || level == FragmentationLevel.UNKNOWN) {
            return DEFAULT_ALLOCATOR_OVERHEAD;
        }
        return Math.min(1.0, Math.max(DEFAULT_ALLOCATOR_OVERHEAD, ratio - 1));
    }

    /** 90% of the host less the largest copy-on-write and buffers, less the allocator's share. */
    private static long suggestedMaxmemory(CheckContext c, long system) {
        if (system <= 0) {
            return 0;
        }
        long buffers = c.valueOr(Metric.MEM_CLIENTS_NORMAL, 0) + c.valueOr(Metric.MEM_NOT_COUNTED_FOR_EVICT, 0);
        long cow = Math.max(c.history().largestCow(), c.valueOr(Metric.USED_MEMORY, 0) / 2);
        return (long) ((HOST_BUDGET * system - cow - buffers) / (1 + allocatorOverhead(c)) * 0.75);
    }

    static CheckResult memoryPeak(CheckContext c) {
        String id = "memory-peak";
        Long used = c.value(Metric.USED_MEMORY);
        Long peak = c.value(Metric.USED_MEMORY_PEAK);
        if (used == null || peak == null) {
            return CheckResult.unknown(id, "Memory peak", "INFO did not report used_memory_peak.");
        }
        String evidence = "used_memory_peak " + bytes(peak) + ", used_memory now " + bytes(used) + ", RSS "
                + bytes(c.value(Metric.USED_MEMORY_RSS)) + ".";
        if (used < SMALL_INSTANCE || peak <= PEAK_RATIO * used) {
            return CheckResult.ok(id, "No past peak far above current use", evidence);
        }
        return new CheckResult(id, CheckSeverity.INFO,
                "Peak is " + Units.ratio((double) peak / used) + "x current use: RSS is likely held from that peak",
                evidence + " The allocator rarely gives memory back after a peak, so a high fragmentation ratio now"
                        + " can be that peak's leftovers; the space is reused as data grows again.",
                "MEMORY PURGE   # asks jemalloc to release what it can\n"
                        + "# to reclaim it all: fail over to a replica and restart this instance");
    }

    static CheckResult memoryTrend(CheckContext c) {
        String id = "memory-trend";
        String title = "Growth of the recent history";
        Optional<GrowthTrend> fitted = c.history().usedTrend();
        if (fitted.isEmpty() || fitted.get().points() < TREND_MIN_POINTS
                || fitted.get().span().compareTo(TREND_MIN_SPAN) < 0) {
            return CheckResult.unknown(id, title, "Needs at least " + TREND_MIN_POINTS + " samples over "
                    + duration(TREND_MIN_SPAN) + " in the last hour.");
        }
        GrowthTrend trend = fitted.get();
        MemoryCeiling ceiling = c.ceiling();
        boolean maxmemory = ceiling.maxmemory();
        long limit = ceiling.bytes();
        String limitName = ceiling.shortLabel() + " " + bytes(limit);
        String rate = bytes((long) (trend.perSecond() * 3600)) + "/h";
        String evidence = "used_memory " + bytes((long) trend.last()) + ", growing " + rate + " over the last "
                + duration(trend.span()) + " (" + trend.points() + " samples, R² " + Units.ratio(trend.rSquared()) + ").";
        if (limit <= 0) {
            return CheckResult.unknown(id, title, "No maxmemory, no declared memory limit and no total_system_memory to"
                    + " project against.");
        }
        if (trend.perSecond() <= 0 || trend.rSquared() < TREND_MIN_R2) {
            String shape = trend.perSecond() <= 0 ? "not growing" : "no steady growth";
            return CheckResult.ok(id, "Memory is " + shape, "used_memory " + bytes((long) trend.last()) + ", "
                    + rate + " over the last " + duration(trend.span()) + " (R² " + Units.ratio(trend.rSquared()) + ").");
        }
        Optional<Instant> reaches = trend.reaches(limit);
        if (reaches.isEmpty()) {
            return CheckResult.ok(id, "Memory grows but is already at " + limitName, evidence);
        }
        Duration left = Duration.between(trend.to(), reaches.get());
        String when = "at this rate used_memory reaches " + limitName + " around " + utc(reaches.get()) + " (in "
                + duration(left) + ").";
        if (left.compareTo(Duration.ofHours(24)) > 0) {
            return CheckResult.ok(id, "Memory grows, but more than a day from " + limitName,
                    evidence + " " + capitalise(when));
        }
        String policy = c.text(Metric.MAXMEMORY_POLICY);
        boolean evicts = maxmemory && policy != null && !"noeviction".equals(policy);
        if (evicts) {
            return new CheckResult(id, CheckSeverity.INFO, "Evictions begin within " + duration(left),
                    evidence + " " + capitalise(when) + " Then " + policy + " evicts keys to make room.",
                    "# expected for a cache; otherwise find what grows:\nredis-cli --bigkeys\nINFO keyspace");
        }
        CheckSeverity severity = left.compareTo(Duration.ofHours(1)) <= 0 ? CheckSeverity.CRITICAL : CheckSeverity.WARNING;
        String after = maxmemory ? " Then writes fail with OOM (maxmemory-policy noeviction)."
                : ceiling.declared() ? " Then the container's OOM killer stops Redis (" + ceiling.label() + ")."
                : " Then the OS or the container kills Redis.";
        return new CheckResult(id, severity, "Memory reaches " + ceiling.shortLabel()
                + " within " + duration(left), evidence + " " + capitalise(when) + after,
                "# find what grows before it is too late:\nINFO keyspace   # are keys without TTL accumulating?\n"
                        + "redis-cli --bigkeys   # one key growing without bound? (run on a replica)\n"
                        + (maxmemory ? "CONFIG SET maxmemory-policy allkeys-lru   # if this is a cache"
                                : "CONFIG SET maxmemory <size>   # see maxmemory-unset"));
    }

    private static String capitalise(String text) {
        return text.substring(0, 1).toUpperCase() + text.substring(1);
    }
}
