package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.FragmentationLevel;
import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;

/**
 * RSS moved away from used_memory, with the waste inside the allocator. Two kinds read differently: partly empty
 * pages ({@code allocator_frag_bytes}, what active defrag compacts) and freed pages the allocator keeps for the next
 * fill ({@code allocator_rss_bytes} with {@code allocator_frag_ratio} near 1: reused by the next writes, released by
 * MEMORY PURGE, not something defrag fixes).
 */
final class FragmentationNarrator {

    /** allocator_frag_ratio under this is "near 1": no partly empty pages to compact. */
    static final double FRAG_NEAR_ONE = 1.1;
    /** Waste of at least this share of used_memory, with the floor, is worth acting on. */
    static final double WASTE_SHARE = 0.25;
    /** The cause of freed pages kept for the next fill: routine, unless RSS nears the host's memory. */
    static final String KEPT_PAGES = "kept-pages";

    private FragmentationNarrator() {
    }

    /**
     * RSS rose away from used_memory (the gap grew: used flat or falling while RSS rose or stayed), or RSS sits far
     * above it; either way with the waste inside the allocator, not the process' fixed RSS of small instances.
     */
    static boolean fragmented(Signals s) {
        long gapGrowth = (s.rssLast() - s.usedLast()) - (s.rssFirst() - s.usedFirst());
        FragmentationLevel level = FragmentationLevel.of(s.last);
        boolean allocatorWaste = s.last.getLong(Metric.ALLOCATOR_FRAG_BYTES) == null || allocatorWaste(s) >= Signals.FLOOR;
        boolean drifted = gapGrowth >= s.significant && level != FragmentationLevel.SMALL;
        return allocatorWaste && (drifted || level == FragmentationLevel.HIGH);
    }

    private static long allocatorWaste(Signals s) {
        return Signals.v(s.last, Metric.ALLOCATOR_FRAG_BYTES) + Signals.v(s.last, Metric.ALLOCATOR_RSS_BYTES);
    }

    static Finding narrate(Signals s) {
        return narrate(s, Overhead.NONE);
    }

    /**
     * @param overhead the biggest overhead finding's rise: when it covers at least half of RSS' excess over
     *     used_memory, the excess is that peak's pages, kept by the allocator, and this finding is INFO beside it
     */
    static Finding narrate(Signals s, Overhead overhead) {
        long fragBytes = Signals.v(s.last, Metric.ALLOCATOR_FRAG_BYTES);
        long keptBytes = Signals.v(s.last, Metric.ALLOCATOR_RSS_BYTES);
        Double fragRatio = s.last.getDouble(Metric.ALLOCATOR_FRAG_RATIO);
        boolean keptPages = fragRatio != null && fragRatio < FRAG_NEAR_ONE && keptBytes > fragBytes;
        List<String> evidence = new ArrayList<>();
        evidence.add(s.usedLine());
        evidence.add("RSS " + bytes(s.rssFirst()) + " → " + bytes(s.rssLast()) + "; RSS over used_memory "
                + bytes(s.rssFirst() - s.usedFirst()) + " → " + bytes(s.rssLast() - s.usedLast()) + ".");
        evidence.add("mem_fragmentation_ratio " + Text.ratio(s.first.getDouble(Metric.MEM_FRAGMENTATION_RATIO)) + " → "
                + Text.ratio(s.last.getDouble(Metric.MEM_FRAGMENTATION_RATIO)) + "; allocator_frag_ratio "
                + Text.ratio(fragRatio) + " (" + bytes(fragBytes) + " in partly empty pages), allocator_rss_ratio "
                + Text.ratio(s.last.getDouble(Metric.ALLOCATOR_RSS_RATIO)) + " (" + bytes(keptBytes)
                + " of freed pages kept by the allocator), rss_overhead_ratio "
                + Text.ratio(s.last.getDouble(Metric.RSS_OVERHEAD_RATIO)) + ".");
        long peak = Signals.v(s.last, Metric.USED_MEMORY_PEAK);
        if (s.usedLast() > 0 && peak > 1.5 * s.usedLast()) {
            evidence.add("used_memory_peak " + bytes(peak) + ": RSS is partly held from that peak.");
        }
        evidence.add(s.forks.isEmpty() ? "No BGSAVE or AOF rewrite in this range: forks do not explain it."
                : s.forks.size() + " fork(s) in this range, copying at most "
                        + bytes(s.biggestFork().map(ForkActivity.Fork::cow).orElse(0L)) + ": too little to explain it.");
        // the OOM killer counts RSS against the container's limit when one is declared, else the host's memory
        long host = s.process.bytes();
        long waste = s.rssLast() - s.usedLast();
        boolean leftByOverhead = overhead.rise() > 0 && 2 * overhead.rise() >= waste;
        if (leftByOverhead) {
            evidence.add("The " + overhead.name() + " finding's peak (+" + bytes(overhead.rise()) + ") explains most of"
                    + " RSS' " + bytes(waste) + " over used_memory: pages taken at that peak, kept by the allocator"
                    + " after it drained. It follows from that finding; fix that first.");
        }
        if (host > 0 && s.rssLast() > 0.9 * host) {
            evidence.add("RSS " + bytes(s.rssLast()) + " is " + Text.pct((double) s.rssLast() / host) + " of the "
                    + s.process.describe() + ": the OOM killer is near.");
        }
        Severity severity = host > 0 && s.rssLast() > 0.9 * host ? Severity.CRITICAL
                : !keptPages && !leftByOverhead && waste >= Math.max(Signals.FLOOR, WASTE_SHARE * s.usedLast())
                        ? Severity.WARNING
                : Severity.INFO;
        String what = keptPages
                ? "the allocator keeps " + bytes(keptBytes) + " of freed pages for the next fill (allocator_frag_ratio "
                        + Text.ratio(fragRatio) + ": few partly empty pages); the next writes reuse them, MEMORY PURGE"
                        + " returns them, active defrag has little to compact"
                : "the allocator holds " + bytes(waste) + " more than the data needs, " + bytes(fragBytes)
                        + " of it in partly empty pages that active defrag can compact";
        String summary = "Fragmentation: used_memory " + s.moved(s.usedFirst(), s.usedLast()) + " while RSS "
                + s.moved(s.rssFirst(), s.rssLast()) + "; " + what + " (ratio "
                + Text.ratio(s.last.getDouble(Metric.MEM_FRAGMENTATION_RATIO)) + ").";
        String allocator = s.last.getText(Metric.MEM_ALLOCATOR);
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " INFO memory   # allocator_frag_ratio (defrag can fix) vs allocator_rss_ratio (MEMORY PURGE)"
                + " vs rss_overhead_ratio (outside the allocator)");
        steps.add(s.cli + " MEMORY DOCTOR   # Redis' own reading");
        if (keptPages) {
            steps.add(s.cli + " MEMORY PURGE   # returns the kept pages now; otherwise the next fill reuses them");
        }
        if (allocator != null && allocator.startsWith("jemalloc")) {
            steps.add(s.cli + " CONFIG SET activedefrag yes   # with active-defrag-ignore-bytes below the "
                    + bytes(fragBytes) + " in partly empty pages (see the activedefrag-off check); watch latency");
        }
        else {
            steps.add("The allocator is " + allocator + ": active defrag needs jemalloc; fail over and restart to compact.");
        }
        if (!keptPages) {
            steps.add(s.cli + " MEMORY PURGE   # releases the allocator's dirty pages");
        }
        steps.add("Look at the write pattern: many values of changing sizes created and deleted (churn) fragment memory.");
        steps.add("Collect the numbers before any restart: a restart hides the evidence.");
        return new Finding(Verdict.FRAGMENTATION, s.weighed(severity), summary, evidence, steps,
                keptPages ? KEPT_PAGES : "fragmented-pages");
    }

    /**
     * An overhead finding's rise, for telling its leftover pages from fragmentation of its own.
     *
     * @param verdict the overhead's verdict, {@code null} for none
     * @param rise how far it rose, in bytes
     */
    record Overhead(Verdict verdict, long rise) {

        static final Overhead NONE = new Overhead(null, 0);

        String name() {
            return switch (verdict) {
                case CLIENT_BUFFERS -> "client buffers";
                case REPLICATION -> "replication buffers";
                case SCRIPT_CACHE -> "script cache";
                default -> verdict.name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }
}
