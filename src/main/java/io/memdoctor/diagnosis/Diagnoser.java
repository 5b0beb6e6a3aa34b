package io.memdoctor.diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.memdoctor.snapshots.FragmentationLevel;
import io.memdoctor.snapshots.GrowthTrend;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.web.Formats;

/**
 * Reads a memory history the way the field guide does. Pure: snapshots in, a {@link Diagnosis} out.
 *
 * <p>In order: writes refused with OOM or keys evicted mean the instance is at its ceiling (MEMORY_PRESSURE);
 * used_memory climbing steadily and not falling back is the application storing more (DATA_GROWTH); a fork whose
 * copy-on-write was a sizeable share of the data, with used_memory flat, is COPY_ON_WRITE; RSS moving away from
 * used_memory (used flat or falling while RSS rose or stayed), or RSS far above it (the MEMORY DOCTOR rule), with the
 * waste inside the allocator, is FRAGMENTATION; anything else is STABLE.
 * "Significant" is at least 10 MB (MEMORY DOCTOR's floor) and 5% of where used_memory started, so the same rules
 * hold for a 30 MB test server and a 30 GB cache.
 */
final class Diagnoser {

    static final int MIN_SAMPLES = 8;
    static final long FLOOR = 10L * 1024 * 1024;
    static final double RELATIVE = 0.05;
    /** A climb must explain at least half the movement: a saw-tooth is not growth. */
    static final double MIN_R2 = 0.5;
    /** ...and end near its top: memory that rose and fell back did not "keep climbing". */
    static final double NEAR_TOP = 0.9;
    /** Copy-on-write that matters: at least this share of used_memory (and the floor). */
    static final double COW_SHARE = 0.1;

    private static final Formats FORMATS = new Formats();

    private Diagnoser() {
    }

    /**
     * @param points the range's samples in time order (failed ones are skipped)
     * @param cli how to reach this instance with redis-cli, e.g. {@code redis-cli -h 10.0.0.5 -p 6379}
     */
    static Diagnosis diagnose(List<Snapshot> points, Instant from, Instant to, String cli) {
        List<Snapshot> ok = points.stream().filter(s -> s.isOk() && s.getLong(Metric.USED_MEMORY) != null).toList();
        if (ok.size() < MIN_SAMPLES) {
            return new Diagnosis(Verdict.INSUFFICIENT_DATA, "Only " + ok.size() + " successful sample(s) in this range;"
                    + " at least " + MIN_SAMPLES + " are needed to tell growth, fragmentation and copy-on-write apart.",
                    List.of(ok.size() + " successful of " + points.size() + " samples between " + utc(from) + " and "
                            + utc(to) + "."),
                    List.of("Wait for more samples, or pick a longer range.",
                            "Take a sample now: POST /api/instances/{id}/snapshots (the \"Sample now\" button).",
                            cli + " INFO memory   # the facts, right now"),
                    from, to, ok.size());
        }
        Facts f = new Facts(ok, cli);
        if (f.oom > 0 || f.evicted > 0) {
            return f.pressure(from, to);
        }
        if (f.climbing()) {
            return f.growth(from, to);
        }
        Optional<ForkActivity.Fork> cow = f.biggestFork().filter(f::significantCow);
        if (cow.isPresent()) {
            return f.copyOnWrite(cow.get(), from, to);
        }
        if (f.fragmented()) {
            return f.fragmentation(from, to);
        }
        return f.stable(from, to);
    }

    /** What the samples show, computed once. */
    private static final class Facts {

        final List<Snapshot> ok;
        final String cli;
        final Snapshot first;
        final Snapshot last;
        final GrowthTrend used;
        final long usedFirst;
        final long usedLast;
        final Snapshot usedTop;
        final long rssFirst;
        final long rssLast;
        final long significant;
        final long oom;
        final Instant oomFirstAt;
        final long evicted;
        final Instant evictedFirstAt;
        final List<ForkActivity.Fork> forks;

        Facts(List<Snapshot> ok, String cli) {
            this.ok = ok;
            this.cli = cli;
            this.first = ok.get(0);
            this.last = ok.get(ok.size() - 1);
            this.used = GrowthTrend.fit(ok, Metric.USED_MEMORY).orElseThrow();
            this.usedFirst = v(first, Metric.USED_MEMORY);
            this.usedLast = v(last, Metric.USED_MEMORY);
            this.usedTop = ok.stream().max(Comparator.comparingLong(s -> v(s, Metric.USED_MEMORY))).orElseThrow();
            this.rssFirst = v(first, Metric.USED_MEMORY_RSS);
            this.rssLast = v(last, Metric.USED_MEMORY_RSS);
            this.significant = Math.max(FLOOR, (long) (RELATIVE * usedFirst));
            long[] oomGrowth = growth(Metric.ERRORSTAT_OOM);
            this.oom = oomGrowth[0];
            this.oomFirstAt = oomGrowth[1] < 0 ? null : ok.get((int) oomGrowth[1]).timestamp();
            long[] evictedGrowth = growth(Metric.EVICTED_KEYS);
            this.evicted = evictedGrowth[0];
            this.evictedFirstAt = evictedGrowth[1] < 0 ? null : ok.get((int) evictedGrowth[1]).timestamp();
            this.forks = ForkActivity.find(ok);
        }

        /** How much a counter grew (a restart's reset counts from zero) and the index where it first grew. */
        private long[] growth(Metric counter) {
            long total = 0;
            long firstIndex = -1;
            Long previous = null;
            for (int i = 0; i < ok.size(); i++) {
                Long value = ok.get(i).getLong(counter);
                if (value == null) {
                    continue;
                }
                if (previous != null) {
                    long delta = value >= previous ? value - previous : value;
                    if (delta > 0 && firstIndex < 0) {
                        firstIndex = i;
                    }
                    total += delta;
                }
                previous = value;
            }
            return new long[] {total, firstIndex};
        }

        boolean climbing() {
            return used.fittedGrowth() >= significant && usedLast - usedFirst >= significant
                    && used.rSquared() >= MIN_R2 && usedLast >= NEAR_TOP * v(usedTop, Metric.USED_MEMORY);
        }

        Optional<ForkActivity.Fork> biggestFork() {
            return forks.stream().max(Comparator.comparingLong(ForkActivity.Fork::cow));
        }

        boolean significantCow(ForkActivity.Fork fork) {
            return fork.cow() >= Math.max(FLOOR, (long) (COW_SHARE * Math.max(fork.usedBefore(), fork.usedAfter())))
                    && fork.usedAfter() - fork.usedBefore() < significant;
        }

        /**
         * RSS rose away from used_memory (the gap between them grew: used flat or falling while RSS rose or stayed),
         * or RSS sits far above it; either way with the waste inside the allocator, not the process' fixed RSS,
         * which dominates small instances.
         */
        boolean fragmented() {
            long gapGrowth = (rssLast - usedLast) - (rssFirst - usedFirst);
            FragmentationLevel level = FragmentationLevel.of(last);
            Long allocatorFrag = last.getLong(Metric.ALLOCATOR_FRAG_BYTES);
            boolean allocatorWaste = allocatorFrag == null
                    || allocatorFrag + v(last, Metric.ALLOCATOR_RSS_BYTES) >= FLOOR;
            boolean drifted = gapGrowth >= significant && level != FragmentationLevel.SMALL;
            return allocatorWaste && (drifted || level == FragmentationLevel.HIGH);
        }

        Diagnosis pressure(Instant from, Instant to) {
            long maxmemory = v(last, Metric.MAXMEMORY);
            String reported = text(last, Metric.MAXMEMORY_POLICY);
            String policy = reported == null ? "unknown" : reported;
            String evictor = reported == null ? "Redis" : reported;
            List<String> evidence = new ArrayList<>();
            if (oom > 0) {
                evidence.add("errorstat_OOM grew by " + count(oom) + ": writes refused with OOM from " + utc(oomFirstAt) + ".");
            }
            if (evicted > 0) {
                evidence.add("evicted_keys grew by " + count(evicted) + " from " + utc(evictedFirstAt) + ".");
            }
            evidence.add("used_memory " + bytes(v(usedTop, Metric.USED_MEMORY)) + " at its highest (" + utc(usedTop.timestamp())
                    + ") against maxmemory " + (maxmemory > 0 ? bytes(maxmemory) : "0 (unset)") + "; maxmemory-policy "
                    + policy + ".");
            evidence.add(usedLine());
            evidence.add(keysLine());
            boolean refusing = oom > 0 || "noeviction".equals(policy);
            String summary = refusing
                    ? "Memory pressure: at maxmemory " + bytes(maxmemory) + " under " + policy + ", Redis refused "
                            + count(oom) + " write(s) with OOM."
                    : "Memory pressure: at maxmemory " + bytes(maxmemory) + ", " + evictor + " evicted " + count(evicted)
                            + " key(s) to make room.";
            List<String> steps = new ArrayList<>();
            steps.add(cli + " INFO memory   # used_memory against maxmemory, and what is not data (used_memory_overhead)");
            steps.add(cli + " INFO keyspace   # how many keys carry a TTL");
            if (refusing) {
                steps.add("If this is a cache, let it evict: " + cli + " CONFIG SET maxmemory-policy allkeys-lru");
                steps.add("If no key may be lost, raise the ceiling where the host allows it (see the maxmemory-headroom"
                        + " check): " + cli + " CONFIG SET maxmemory <size>");
            }
            else {
                steps.add("Evictions are what " + policy + " is for; if the hit rate suffers (keyspace_hits / misses),"
                        + " give it more memory or store less.");
            }
            steps.add("Find what filled it: " + cli + " --bigkeys   (on a replica if you can: it scans every key)");
            steps.add("Ask what changed: a deploy that dropped TTLs, a consumer that stopped, a new batch job?");
            return new Diagnosis(Verdict.MEMORY_PRESSURE, summary, evidence, steps, from, to, ok.size());
        }

        Diagnosis growth(Instant from, Instant to) {
            long grown = usedLast - usedFirst;
            List<String> evidence = new ArrayList<>();
            evidence.add(usedLine());
            evidence.add("RSS " + bytes(rssFirst) + " → " + bytes(rssLast) + ": it follows the data.");
            long keysFirst = v(first, Metric.KEYS);
            long keysLast = v(last, Metric.KEYS);
            boolean newKeys = keysLast - keysFirst > Math.max(100, keysFirst / 20);
            evidence.add(keysLine());
            Double shareFirst = ttlShare(first);
            Double shareLast = ttlShare(last);
            boolean ttlsLost = shareFirst != null && shareLast != null && shareFirst - shareLast >= 0.2;
            String cause;
            if (ttlsLost) {
                cause = "new keys arrive without a TTL";
            }
            else if (newKeys) {
                cause = "the number of keys grows";
            }
            else {
                cause = "existing keys grow (the key count is flat): a list, set or stream never trimmed";
            }
            biggestFork().filter(this::significantCow).ifPresent(fork -> evidence.add(forkLine(fork)));
            long maxmemory = v(last, Metric.MAXMEMORY);
            long limit = maxmemory > 0 ? maxmemory : v(last, Metric.TOTAL_SYSTEM_MEMORY);
            used.reaches(limit).filter(at -> Duration.between(used.to(), at).compareTo(Duration.ofDays(7)) < 0)
                    .ifPresent(at -> evidence.add("At this rate used_memory reaches " + (maxmemory > 0 ? "maxmemory " : "host memory ")
                            + bytes(limit) + " around " + utc(at) + "."));
            String summary = "Data growth: used_memory climbed by " + bytes(grown) + " (" + rate() + ") and has not"
                    + " fallen back; " + cause + ".";
            List<String> steps = new ArrayList<>();
            steps.add(cli + " INFO memory   # used_memory_dataset vs used_memory_overhead: data, not overhead");
            steps.add(cli + " DBSIZE   # and INFO keyspace: keys=" + count(keysLast) + ", expires="
                    + count(v(last, Metric.EXPIRES)) + " now");
            if (ttlsLost || newKeys) {
                steps.add("Keys with a TTL went from " + pct(shareFirst) + " to " + pct(shareLast)
                        + ": find keys without one (" + cli + " --scan --count 1000, then TTL <key> gives -1) and the"
                        + " deploy that stopped setting EX/EXPIRE.");
            }
            steps.add(cli + " --bigkeys   # one structure growing without bound? (on a replica if you can)");
            steps.add(cli + " MEMORY USAGE <key>   # bytes of a suspect; then LTRIM lists, EXPIRE transient keys, split big hashes");
            if (maxmemory == 0) {
                steps.add("Set a ceiling before the host runs out: " + cli + " CONFIG SET maxmemory <size>, with an"
                        + " eviction policy that matches the workload (allkeys-lru for a cache).");
            }
            else if ("noeviction".equals(text(last, Metric.MAXMEMORY_POLICY))) {
                steps.add("At maxmemory " + bytes(maxmemory) + " noeviction will refuse writes: for a cache, "
                        + cli + " CONFIG SET maxmemory-policy allkeys-lru");
            }
            steps.add("Ask what changed: a deploy that removed TTLs, a queue consumer that stopped, a feed never trimmed?");
            return new Diagnosis(Verdict.DATA_GROWTH, summary, evidence, steps, from, to, ok.size());
        }

        Diagnosis copyOnWrite(ForkActivity.Fork fork, Instant from, Instant to) {
            List<String> evidence = new ArrayList<>();
            evidence.add(forkLine(fork));
            if (forks.size() > 1) {
                evidence.add(forks.size() + " forks (BGSAVE / AOF rewrite) in this range; the one above copied the most.");
            }
            evidence.add(usedLine());
            evidence.add("RSS of the parent " + bytes(fork.rssBefore()) + " before, " + bytes(fork.rssPeak())
                    + " at most while it ran; the copied pages belong to the child, so the host needed about "
                    + bytes(fork.rssPeak() + fork.cow()) + ".");
            long system = v(last, Metric.TOTAL_SYSTEM_MEMORY);
            long maxmemory = v(last, Metric.MAXMEMORY);
            String summary = "Copy-on-write: a " + fork.kind() + " at " + utc(fork.start()) + " copied " + bytes(fork.cow())
                    + " (" + pct((double) fork.cow() / Math.max(1, fork.usedBefore())) + " of the data) while writes went on;"
                    + " used_memory stayed flat, so this is temporary, not growth.";
            List<String> steps = new ArrayList<>();
            steps.add(cli + " INFO persistence   # rdb_last_cow_size, aof_last_cow_size, current_cow_peak, what runs now");
            steps.add("Leave headroom for it: maxmemory " + (maxmemory > 0 ? bytes(maxmemory) : "(unset)") + " + "
                    + bytes(fork.cow()) + " copy-on-write must fit in " + (system > 0 ? bytes(system) : "host memory")
                    + " with room for buffers (see the maxmemory-headroom check).");
            steps.add("Move persistence off the peak: " + cli + " CONFIG GET save, then CONFIG SET save \"<seconds> <changes>\""
                    + " for quiet hours, or BGSAVE on a replica.");
            steps.add("Do not overlap BGSAVE, AOF rewrites (auto-aof-rewrite-percentage), backups and host scans.");
            steps.add("Reduce write churn while the child runs, if a batch job causes it.");
            return new Diagnosis(Verdict.COPY_ON_WRITE, summary, evidence, steps, from, to, ok.size());
        }

        Diagnosis fragmentation(Instant from, Instant to) {
            List<String> evidence = new ArrayList<>();
            evidence.add(usedLine());
            evidence.add("RSS " + bytes(rssFirst) + " → " + bytes(rssLast) + "; RSS over used_memory "
                    + bytes(rssFirst - usedFirst) + " → " + bytes(rssLast - usedLast) + ".");
            evidence.add("mem_fragmentation_ratio " + ratio(first, Metric.MEM_FRAGMENTATION_RATIO) + " → "
                    + ratio(last, Metric.MEM_FRAGMENTATION_RATIO) + "; allocator_frag_ratio "
                    + ratio(last, Metric.ALLOCATOR_FRAG_RATIO) + " (" + bytes(v(last, Metric.ALLOCATOR_FRAG_BYTES))
                    + " in partly empty pages), allocator_rss_ratio " + ratio(last, Metric.ALLOCATOR_RSS_RATIO) + " ("
                    + bytes(v(last, Metric.ALLOCATOR_RSS_BYTES)) + " kept by the allocator), rss_overhead_ratio "
                    + ratio(last, Metric.RSS_OVERHEAD_RATIO) + ".");
            long peak = v(last, Metric.USED_MEMORY_PEAK);
            if (usedLast > 0 && peak > 1.5 * usedLast) {
                evidence.add("used_memory_peak " + bytes(peak) + ": RSS is partly held from that peak.");
            }
            if (forks.isEmpty()) {
                evidence.add("No BGSAVE or AOF rewrite in this range: forks do not explain it.");
            }
            else {
                evidence.add(forks.size() + " fork(s) in this range, copying at most "
                        + bytes(biggestFork().map(ForkActivity.Fork::cow).orElse(0L)) + ": too little to explain it.");
            }
            String summary = "Fragmentation: used_memory " + (usedLast < usedFirst - significant ? "fell" : "stayed flat")
                    + " (" + bytes(usedFirst) + " → " + bytes(usedLast) + ") while RSS " + (rssLast > rssFirst + significant
                            ? "rose to " : "stayed at ") + bytes(rssLast) + ": the allocator holds "
                    + bytes(rssLast - usedLast) + " more than the data needs (ratio "
                    + ratio(last, Metric.MEM_FRAGMENTATION_RATIO) + ").";
            String allocator = text(last, Metric.MEM_ALLOCATOR);
            List<String> steps = new ArrayList<>();
            steps.add(cli + " INFO memory   # allocator_frag_ratio (defrag can fix) vs allocator_rss_ratio (MEMORY PURGE)"
                    + " vs rss_overhead_ratio (outside the allocator)");
            steps.add(cli + " MEMORY DOCTOR   # Redis' own reading");
            if (allocator != null && allocator.startsWith("jemalloc")) {
                steps.add(cli + " CONFIG SET activedefrag yes   # with active-defrag-ignore-bytes below the "
                        + bytes(v(last, Metric.ALLOCATOR_FRAG_BYTES)) + " wasted (see the activedefrag-off check); watch latency");
            }
            else {
                steps.add("The allocator is " + allocator + ": active defrag needs jemalloc; fail over and restart to compact.");
            }
            steps.add(cli + " MEMORY PURGE   # releases the allocator's dirty pages");
            steps.add("Look at the write pattern: many values of changing sizes created and deleted (churn) fragment memory.");
            steps.add("Collect the numbers before any restart: a restart hides the evidence.");
            return new Diagnosis(Verdict.FRAGMENTATION, summary, evidence, steps, from, to, ok.size());
        }

        Diagnosis stable(Instant from, Instant to) {
            List<String> evidence = new ArrayList<>();
            evidence.add(usedLine());
            evidence.add("RSS " + bytes(rssFirst) + " → " + bytes(rssLast) + "; mem_fragmentation_ratio "
                    + ratio(last, Metric.MEM_FRAGMENTATION_RATIO) + ".");
            evidence.add(keysLine());
            evidence.add(forks.isEmpty() ? "No BGSAVE or AOF rewrite in this range."
                    : forks.size() + " fork(s), copying at most " + bytes(biggestFork().map(ForkActivity.Fork::cow).orElse(0L))
                            + ": small.");
            evidence.add("No keys evicted, no writes refused.");
            return new Diagnosis(Verdict.STABLE, "Stable: used_memory moved " + signed(usedLast - usedFirst)
                    + " and RSS " + signed(rssLast - rssFirst) + " over " + count(ok.size())
                    + " samples; no eviction, no refused write, no costly fork.",
                    evidence, List.of("Nothing to do now. Keep the checks panel free of warnings and alert on the"
                            + " memory-trend check before the instance reaches its ceiling."),
                    from, to, ok.size());
        }

        private String usedLine() {
            return "used_memory " + bytes(usedFirst) + " (" + utc(first.timestamp()) + ") → " + bytes(usedLast) + " ("
                    + utc(last.timestamp()) + "), highest " + bytes(v(usedTop, Metric.USED_MEMORY)) + " at "
                    + utc(usedTop.timestamp()) + "; trend " + rate() + ", R² " + String.format(Locale.ROOT, "%.2f",
                            used.rSquared()) + ".";
        }

        private String keysLine() {
            if (first.get(Metric.KEYS) == null && last.get(Metric.KEYS) == null) {
                return "Key counts not reported.";
            }
            if (v(first, Metric.KEYS) == 0 && v(last, Metric.KEYS) == 0) {
                return "No keys.";
            }
            return "keys " + count(v(first, Metric.KEYS)) + " → " + count(v(last, Metric.KEYS)) + "; with a TTL "
                    + pct(ttlShare(first)) + " → " + pct(ttlShare(last)) + ".";
        }

        private String forkLine(ForkActivity.Fork fork) {
            return fork.kind() + " between " + utc(fork.start()) + " and " + utc(fork.end()) + " copied "
                    + bytes(fork.cow()) + " (current_cow_peak / rdb_last_cow_size) = "
                    + pct((double) fork.cow() / Math.max(1, fork.usedBefore())) + " of used_memory "
                    + bytes(fork.usedBefore()) + "; used_memory after it " + bytes(fork.usedAfter()) + ".";
        }

        private String rate() {
            double perHour = used.perSecond() * 3600;
            return (perHour < 0 ? "-" : "+") + bytes((long) Math.abs(perHour)) + "/h";
        }
    }

    private static Double ttlShare(Snapshot s) {
        Long keys = s.getLong(Metric.KEYS);
        Long expires = s.getLong(Metric.EXPIRES);
        return keys == null || expires == null || keys == 0 ? null : Math.min(1.0, (double) expires / keys);
    }

    private static long v(Snapshot s, Metric metric) {
        Long value = s.getLong(metric);
        return value == null ? 0 : value;
    }

    private static String text(Snapshot s, Metric metric) {
        return s.getText(metric);
    }

    private static String ratio(Snapshot s, Metric metric) {
        return FORMATS.ratio(s.getDouble(metric));
    }

    private static String bytes(long value) {
        return FORMATS.bytes(value);
    }

    private static String signed(long value) {
        return (value < 0 ? "-" : "+") + FORMATS.bytes(Math.abs(value));
    }

    private static String count(long value) {
        return FORMATS.count(value);
    }

    private static String pct(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static String utc(Instant at) {
        return FORMATS.utc(at);
    }
}
