package io.memdoctor.checks;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.format.Units;
import io.memdoctor.snapshots.FragmentationLevel;
import io.memdoctor.snapshots.Metric;

import static io.memdoctor.format.Units.bytes;
import static io.memdoctor.format.Units.conf;
import static io.memdoctor.format.Units.ratio;

/**
 * RSS against used memory, and what can be done about it: {@code fragmentation-high},
 * {@code fragmentation-below-one}, {@code activedefrag-off} and {@code activedefrag-unsupported}.
 *
 * <p>{@code mem_fragmentation_ratio} is RSS / used_memory: all the overhead, not only fragmentation. INFO splits it
 * into allocator fragmentation (active / allocated: partly empty pages that active defrag can compact), allocator
 * RSS (resident / active: pages jemalloc keeps but could release with MEMORY PURGE) and RSS overhead (RSS /
 * resident: outside the allocator). A peak far above current use explains a high ratio too.
 */
final class FragmentationRules {

    /** MEMORY DOCTOR's thresholds for each part of the overhead: a ratio above 1.1 with at least 10 MB. */
    static final double PART_RATIO = 1.1;
    static final long PART_BYTES = 10 * Units.MB;
    /** active-defrag-ignore-bytes' default: defrag does not start below this much waste. */
    static final long DEFAULT_IGNORE_BYTES = 100 * Units.MB;

    private FragmentationRules() {
    }

    static CheckResult high(CheckContext c) {
        String id = "fragmentation-high";
        FragmentationLevel level = FragmentationLevel.of(c.latest());
        double ratio = c.ratio(Metric.MEM_FRAGMENTATION_RATIO);
        long used = c.valueOr(Metric.USED_MEMORY, 0);
        long rss = c.valueOr(Metric.USED_MEMORY_RSS, 0);
        String base = "mem_fragmentation_ratio " + (Double.isNaN(ratio) ? "?" : ratio(ratio)) + ": RSS " + bytes(rss)
                + " for used_memory " + bytes(used) + " (" + bytes(Math.max(0, rss - used)) + " over).";
        switch (level) {
            case UNKNOWN:
                return CheckResult.unknown(id, "Fragmentation", "INFO did not report mem_fragmentation_ratio.");
            case SMALL:
                return CheckResult.ok(id, "Instance too small for the ratio to mean anything",
                        base + " Under 5 MB used, the allocator's fixed overhead dominates the ratio.");
            case NORMAL:
            case LOW:
                return CheckResult.ok(id, "Fragmentation is not high", base);
            default:
                break;
        }
        List<String> parts = new ArrayList<>();
        StringBuilder remedy = new StringBuilder();
        if (allocatorFragmented(c)) {
            parts.add("allocator fragmentation: allocator_frag_ratio " + ratio(c.ratio(Metric.ALLOCATOR_FRAG_RATIO)) + " ("
                    + bytes(c.value(Metric.ALLOCATOR_FRAG_BYTES)) + " in partly empty pages; active defrag can compact it)");
            remedy.append(c.jemalloc() ? "CONFIG SET activedefrag yes   # see activedefrag-off for thresholds\n"
                    : "# active defrag needs jemalloc (see activedefrag-unsupported); a restart after failover compacts\n");
        }
        if (part(c, Metric.ALLOCATOR_RSS_RATIO, Metric.ALLOCATOR_RSS_BYTES)) {
            parts.add("pages the allocator keeps: allocator_rss_ratio " + ratio(c.ratio(Metric.ALLOCATOR_RSS_RATIO)) + " ("
                    + bytes(c.value(Metric.ALLOCATOR_RSS_BYTES)) + ", releasable)");
            remedy.append("MEMORY PURGE   # returns the allocator's dirty pages to the OS\n");
        }
        if (part(c, Metric.RSS_OVERHEAD_RATIO, Metric.RSS_OVERHEAD_BYTES)) {
            parts.add("RSS overhead outside the allocator: rss_overhead_ratio " + ratio(c.ratio(Metric.RSS_OVERHEAD_RATIO))
                    + " (" + bytes(c.value(Metric.RSS_OVERHEAD_BYTES)) + ": a fork child, Lua, large buffers; not defrag's job)");
        }
        long peak = c.valueOr(Metric.USED_MEMORY_PEAK, 0);
        boolean pastPeak = used > 0 && peak > MemoryLimitRules.PEAK_RATIO * used;
        if (pastPeak) {
            parts.add("a past peak: used_memory_peak " + bytes(peak) + " is " + ratio((double) peak / used)
                    + "x current use, and RSS is held from it (see memory-peak)");
        }
        boolean allocatorWaste = allocatorFragmented(c) || part(c, Metric.ALLOCATOR_RSS_RATIO, Metric.ALLOCATOR_RSS_BYTES);
        boolean split = c.value(Metric.ALLOCATOR_FRAG_BYTES) != null;
        if (parts.isEmpty()) {
            parts.add(split ? "no single part is large: allocator fragmentation "
                    + bytes(c.value(Metric.ALLOCATOR_FRAG_BYTES)) + ", allocator RSS "
                    + bytes(c.value(Metric.ALLOCATOR_RSS_BYTES)) + ", RSS overhead " + bytes(c.value(Metric.RSS_OVERHEAD_BYTES))
                    + " (on a small instance the process' fixed RSS weighs a lot)"
                    : "INFO does not split the overhead (no allocator_* fields): check the allocator and forks");
        }
        // only waste inside the allocator is fragmentation that defrag or MEMORY PURGE can act on
        boolean actionable = allocatorWaste || !split;
        if (remedy.isEmpty()) {
            remedy.append("MEMORY DOCTOR   # Redis' own reading of the same numbers\n");
        }
        remedy.append("# do not restart first: a restart hides the evidence. Watch latency after enabling defrag.");
        return new CheckResult(id, actionable ? CheckSeverity.WARNING : CheckSeverity.INFO,
                (actionable ? "Fragmentation high: " : "Ratio high, but not from allocator fragmentation: ") + ratio(ratio) + "x (" + bytes(rss - used) + " of RSS over used memory)",
                base + " Made of: " + String.join("; ", parts) + ".", remedy.toString());
    }

    static boolean allocatorFragmented(CheckContext c) {
        return part(c, Metric.ALLOCATOR_FRAG_RATIO, Metric.ALLOCATOR_FRAG_BYTES);
    }

    private static boolean part(CheckContext c, Metric ratio, Metric bytes) {
        double value = c.ratio(ratio);
        Long amount = c.value(bytes);
        return !Double.isNaN(value) && value > PART_RATIO && amount != null && amount >= PART_BYTES;
    }

    static CheckResult belowOne(CheckContext c) {
        String id = "fragmentation-below-one";
        FragmentationLevel level = FragmentationLevel.of(c.latest());
        if (level == FragmentationLevel.UNKNOWN) {
            return CheckResult.unknown(id, "Fragmentation below 1.0", "INFO did not report mem_fragmentation_ratio.");
        }
        double ratio = c.ratio(Metric.MEM_FRAGMENTATION_RATIO);
        String evidence = "mem_fragmentation_ratio " + ratio(ratio) + ": RSS " + bytes(c.value(Metric.USED_MEMORY_RSS))
                + ", used_memory " + bytes(c.value(Metric.USED_MEMORY)) + ".";
        if (level != FragmentationLevel.LOW) {
            return CheckResult.ok(id, "RSS is not below used memory", evidence);
        }
        return new CheckResult(id, CheckSeverity.INFO, "RSS below used memory: check swap on the host",
                evidence + " Part of Redis may be swapped out, which makes it slow; it can also be an accounting"
                        + " edge case. Only the host's swap figures tell.",
                "grep VmSwap /proc/$(pgrep -o redis-server)/status   # swapped-out part of Redis\n"
                        + "vmstat 1 5   # si/so columns: swapping now?\nfree -m");
    }

    static CheckResult activedefragOff(CheckContext c) {
        String id = "activedefrag-off";
        String title = "Active defragmentation";
        if (c.text(Metric.MEM_ALLOCATOR) != null && !c.jemalloc()) {
            return CheckResult.ok(id, "Not applicable: the allocator is not jemalloc",
                    "mem_allocator " + c.text(Metric.MEM_ALLOCATOR) + "; see activedefrag-unsupported.");
        }
        if (!c.settings().available()) {
            return CheckResult.unknown(id, title, "Needs CONFIG GET activedefrag, which failed: "
                    + c.settings().unavailableReason());
        }
        String setting = c.settings().get("activedefrag").orElse(null);
        if (setting == null) {
            return CheckResult.unknown(id, title, "CONFIG GET activedefrag returned nothing (a Redis before 4.0?).");
        }
        boolean on = "yes".equalsIgnoreCase(setting);
        String thresholds = "active-defrag-ignore-bytes " + c.settings().get("active-defrag-ignore-bytes").map(FragmentationRules::bytesSetting).orElse("?")
                + ", threshold-lower " + c.settings().get("active-defrag-threshold-lower").orElse("?") + "%"
                + ", threshold-upper " + c.settings().get("active-defrag-threshold-upper").orElse("?") + "%";
        if (on) {
            return CheckResult.ok(id, "Active defragmentation is on", "activedefrag yes (" + thresholds
                    + "); active_defrag_running " + c.valueOr(Metric.ACTIVE_DEFRAG_RUNNING, 0) + "% CPU now.");
        }
        FragmentationLevel level = FragmentationLevel.of(c.latest());
        String fragmentation = "mem_fragmentation_ratio " + ratio(c.ratio(Metric.MEM_FRAGMENTATION_RATIO))
                + ", allocator_frag_ratio " + ratio(c.ratio(Metric.ALLOCATOR_FRAG_RATIO)) + " ("
                + bytes(c.value(Metric.ALLOCATOR_FRAG_BYTES)) + ")";
        if (level != FragmentationLevel.HIGH) {
            return CheckResult.ok(id, "Off, and not needed now", "activedefrag no; " + fragmentation + ".");
        }
        if (!allocatorFragmented(c)) {
            return new CheckResult(id, CheckSeverity.INFO, "Off; it would not help with this overhead",
                    "activedefrag no; " + fragmentation + ": the overhead is not allocator fragmentation, which is"
                            + " all defrag compacts (see fragmentation-high).", "");
        }
        long waste = c.valueOr(Metric.ALLOCATOR_FRAG_BYTES, 0);
        // with less waste than ignore-bytes, enabling defrag alone would never start it
        long ignore = waste < DEFAULT_IGNORE_BYTES ? Math.max(PART_BYTES, waste / 2) : DEFAULT_IGNORE_BYTES;
        String remedy = "CONFIG SET activedefrag yes\nCONFIG SET active-defrag-ignore-bytes " + conf(ignore)
                + "\nCONFIG SET active-defrag-threshold-lower 10\nCONFIG SET active-defrag-threshold-upper 100\n"
                + "CONFIG SET active-defrag-cycle-max 25   # CPU cap; watch latency after enabling\n"
                + "# in redis.conf: activedefrag yes / active-defrag-ignore-bytes " + conf(ignore)
                + " / active-defrag-threshold-lower 10 / active-defrag-threshold-upper 100";
        return new CheckResult(id, CheckSeverity.WARNING, "Fragmentation is high and active defragmentation is off",
                "activedefrag no (" + thresholds + "); " + fragmentation + "."
                        + (waste < DEFAULT_IGNORE_BYTES ? " The waste is under the default ignore-bytes of 100 MB, so"
                                + " lower it or defrag never starts." : ""),
                remedy);
    }

    private static String bytesSetting(String raw) {
        try {
            return bytes(Long.parseLong(raw));
        }
        catch (NumberFormatException ex) {
            return raw;
        }
    }

    static CheckResult activedefragUnsupported(CheckContext c) {
        String id = "activedefrag-unsupported";
        String allocator = c.text(Metric.MEM_ALLOCATOR);
        if (allocator == null) {
            return CheckResult.unknown(id, "Allocator", "INFO did not report mem_allocator.");
        }
        if (c.jemalloc()) {
            return CheckResult.ok(id, "jemalloc: active defragmentation is available", "mem_allocator " + allocator + ".");
        }
        boolean high = FragmentationLevel.of(c.latest()) == FragmentationLevel.HIGH;
        return new CheckResult(id, high ? CheckSeverity.WARNING : CheckSeverity.INFO,
                "Allocator " + allocator + ": active defragmentation is not available",
                "mem_allocator " + allocator + "; CONFIG SET activedefrag yes fails without Redis' jemalloc."
                        + (high ? " Fragmentation is high (" + ratio(c.ratio(Metric.MEM_FRAGMENTATION_RATIO))
                                + "), so only a restart would compact it." : ""),
                "# use a Redis built with jemalloc (the default on Linux: make MALLOC=jemalloc);\n"
                        + "# until then, fail over to a replica and restart to compact memory");
    }
}
