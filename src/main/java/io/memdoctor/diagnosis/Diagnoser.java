package io.memdoctor.diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

import io.memdoctor.instances.ClientList;
import io.memdoctor.snapshots.GrowthTrend;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

import static io.memdoctor.snapshots.Metric.MEM_AOF_BUFFER;
import static io.memdoctor.snapshots.Metric.MEM_CLIENTS_NORMAL;
import static io.memdoctor.snapshots.Metric.MEM_CLIENTS_SLAVES;
import static io.memdoctor.snapshots.Metric.MEM_CLUSTER_LINKS;
import static io.memdoctor.snapshots.Metric.MEM_OVERHEAD_DB_HASHTABLE_REHASHING;
import static io.memdoctor.snapshots.Metric.MEM_REPLICATION_BACKLOG;
import static io.memdoctor.snapshots.Metric.USED_MEMORY_SCRIPTS;
import static io.memdoctor.snapshots.Metric.USED_MEMORY_VM_EVAL;

/**
 * The decision rules: which causes the history shows. Pure: snapshots in, a {@link Diagnosis} out; the narrators
 * ({@code *Narrator}) write each finding's words and weigh its severity. docs/diagnosis.md explains every rule.
 *
 * <p>Every rule that fires is a finding; the primary one is the most severe, ties going to the earlier rule
 * (refused writes first, then the overhead that is not data, then data growth, copy-on-write, fragmentation).
 * Routine findings (a fork that copied little, with room for the worst case; freed pages kept for the next fill)
 * are never primary: when they are all there is, the headline is STABLE and they follow it.
 */
final class Diagnoser {

    static final int MIN_SAMPLES = 8;
    /** A climb must explain at least half the movement: a saw-tooth is not growth. */
    static final double MIN_R2 = 0.5;
    /** ...and end near its top: memory that rose and fell back did not "keep climbing". */
    static final double NEAR_TOP = 0.9;
    /** Copy-on-write that matters: at least this share of used_memory (and the floor). */
    static final double COW_SHARE = 0.1;
    /** MEMORY DOCTOR's count of cached scripts worth a look; as many evicted (Redis 7.4+) shows the same habit. */
    static final long MANY_SCRIPTS = 1000;

    private Diagnoser() {
    }

    static Diagnosis diagnose(List<Snapshot> points, Instant from, Instant to, String cli) {
        return diagnose(points, from, to, cli, () -> ClientList.unavailable("not asked"), Duration.ZERO);
    }

    /**
     * @param clients CLIENT LIST, asked only when client buffers are a finding
     * @param minClimb how long a climb must last to be data growth
     */
    static Diagnosis diagnose(List<Snapshot> points, Instant from, Instant to, String cli, Supplier<ClientList> clients,
            Duration minClimb) {
        return diagnose(points, from, to, cli, clients, minClimb, null);
    }

    /**
     * @param clients CLIENT LIST, asked only when client buffers are a finding
     * @param minClimb how long a climb must last to be data growth
     * @param memoryLimit the memory limit declared for the instance (its container's), {@code null} for none: the
     *     headroom and the host checks read it (see {@link io.memdoctor.snapshots.MemoryCeiling})
     */
    static Diagnosis diagnose(List<Snapshot> points, Instant from, Instant to, String cli, Supplier<ClientList> clients,
            Duration minClimb, Long memoryLimit) {
        int ok = (int) points.stream().filter(s -> s.isOk() && s.getLong(Metric.USED_MEMORY) != null).count();
        if (ok < MIN_SAMPLES) {
            return Diagnosis.of(List.of(StableNarrator.insufficient(ok, points.size(), from, to, cli)), from, to, ok);
        }
        Signals s = new Signals(points, cli, memoryLimit);
        List<Finding> found = new ArrayList<>();
        if (s.oom.total() > 0 || s.evicted.total() > 0) {
            found.add(PressureNarrator.narrate(s));
        }
        Signals.Part buffers = s.part(MEM_CLIENTS_NORMAL);
        if (buffers.rise() >= s.significant) {
            found.add(ClientBuffersNarrator.narrate(s, buffers, clients));
        }
        Signals.Part replication = s.part(MEM_CLIENTS_SLAVES, MEM_REPLICATION_BACKLOG);
        if (replication.rise() >= s.significant || ReplicationNarrator.resyncing(s)) {
            found.add(ReplicationNarrator.narrate(s, replication));
        }
        Signals.Part scripts = s.part(USED_MEMORY_SCRIPTS, USED_MEMORY_VM_EVAL);
        if (scripts.rise() >= s.significant || s.part(Metric.NUMBER_OF_CACHED_SCRIPTS).rise() >= MANY_SCRIPTS
                || Signals.Counter.of(s.all, Metric.EVICTED_SCRIPTS).total() >= MANY_SCRIPTS) {
            found.add(ScriptCacheNarrator.narrate(s, scripts));
        }
        for (Metric part : List.of(MEM_AOF_BUFFER, MEM_CLUSTER_LINKS, MEM_OVERHEAD_DB_HASHTABLE_REHASHING)) {
            if (s.part(part).rise() >= s.significant) {
                found.add(OverheadNarrator.narrate(s, part, s.part(part)));
            }
        }
        java.util.Optional<UpgradeNarrator.Upgrade> upgrade = UpgradeNarrator.find(s.all);
        // a trend that spans an upgrade compares two servers' figures (7.4 adds the Lua VM): not growth
        boolean trendSpansUpgrade = upgrade.isPresent() && s.ok.contains(upgrade.get().before());
        if (!trendSpansUpgrade && s.dataset.span().compareTo(minClimb) >= 0 && (climbing(s.dataset, s.significant)
                || climbing(s.used, s.significant) && found.isEmpty() && !s.part(Metric.USED_MEMORY_DATASET).reported())) {
            found.add(GrowthNarrator.narrate(s));
        }
        s.biggestFork().filter(fork -> significantCow(s, fork)).ifPresent(fork -> found.add(CopyOnWriteNarrator.narrate(s, fork)));
        if (FragmentationNarrator.fragmented(s)) {
            found.add(FragmentationNarrator.narrate(s, overheadPeak(found, buffers, replication, scripts)));
        }
        upgrade.ifPresent(u -> found.add(UpgradeNarrator.narrate(s, u)));
        List<Finding> ranked = new ArrayList<>(found);
        if (found.stream().allMatch(Diagnoser::routine)) {
            // routine facts (a small fork, kept pages) are listed, under a headline that says nothing is wrong
            ranked.add(0, StableNarrator.narrate(s, found));
        }
        ranked.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Diagnoser::routine));
        return Diagnosis.of(ranked, from, to, ok);
    }

    /**
     * A finding that describes normal operation, not an incident, so never the headline: a fork that copied little
     * with room for the worst case, or freed pages the allocator keeps for the next fill (unless RSS is near the
     * host's memory, which is CRITICAL).
     */
    static boolean routine(Finding finding) {
        return CopyOnWriteNarrator.ROUTINE.equals(finding.cause())
                || FragmentationNarrator.KEPT_PAGES.equals(finding.cause()) && finding.severity() != Severity.CRITICAL;
    }

    /**
     * The biggest rise of an overhead that is a finding of its own (client buffers, replication, scripts): memory the
     * allocator took at that peak and may keep after it drained, which then reads as fragmentation.
     */
    static FragmentationNarrator.Overhead overheadPeak(List<Finding> found, Signals.Part buffers,
            Signals.Part replication, Signals.Part scripts) {
        FragmentationNarrator.Overhead biggest = FragmentationNarrator.Overhead.NONE;
        for (Finding finding : found) {
            Signals.Part part = switch (finding.verdict()) {
                case CLIENT_BUFFERS -> buffers;
                case REPLICATION -> replication;
                case SCRIPT_CACHE -> scripts;
                default -> null;
            };
            if (part != null && part.rise() > biggest.rise()) {
                biggest = new FragmentationNarrator.Overhead(finding.verdict(), part.rise());
            }
        }
        return biggest;
    }

    /** Rises by a significant amount, steadily (R²), and ends near its top. */
    static boolean climbing(GrowthTrend trend, long significant) {
        return trend.fittedGrowth() >= significant && trend.last() - trend.first() >= significant
                && trend.rSquared() >= MIN_R2 && trend.last() >= NEAR_TOP * trend.top();
    }

    static boolean significantCow(Signals s, ForkActivity.Fork fork) {
        return fork.cow() >= Math.max(Signals.FLOOR, (long) (COW_SHARE * Math.max(fork.usedBefore(), fork.usedAfter())))
                && fork.usedAfter() - fork.usedBefore() < s.significant;
    }
}
