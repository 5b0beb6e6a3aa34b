package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.pct;
import static io.memdoctor.diagnosis.Text.utc;

/**
 * A fork copied a sizeable share of the data. Severity from the host (or the memory limit declared for the instance,
 * a container's: its cgroup counts RSS): the parent's RSS plus the copy must fit, and
 * in the worst case a fork copies everything (at maxmemory, when one is set). Two kinds: a fork that copied at
 * least {@link #HEAVY_SHARE} of the data is a copy-on-write finding of its own; one that copied less, with room for
 * the worst case, is a {@code routine-fork}: INFO, listed under a STABLE headline (docs/diagnosis.md).
 */
final class CopyOnWriteNarrator {

    /** A fork that copied at least this share of used_memory is heavy: the footprint grew by half or more. */
    static final double HEAVY_SHARE = 0.5;
    /** The cause of a fork that is not an incident. */
    static final String ROUTINE = "routine-fork";

    private CopyOnWriteNarrator() {
    }

    static Finding narrate(Signals s, ForkActivity.Fork fork) {
        // the parent's RSS and the child's copy must fit in the container's limit when one is declared, else the host
        long host = s.process.bytes();
        String where = s.process.declared() ? "memory limit" : "host";
        long maxmemory = Signals.v(s.last, Metric.MAXMEMORY);
        long needed = fork.rssPeak() + fork.cow();
        long data = Math.max(fork.usedBefore(), fork.usedAfter());
        // a cache may fill to maxmemory: the worst fork then copies all of it
        long worst = Math.max(Math.max(fork.rssPeak(), s.rssLast()), maxmemory) + Math.max(data, maxmemory);
        double share = (double) fork.cow() / Math.max(1, data);
        List<String> evidence = new ArrayList<>();
        evidence.add(forkLine(fork));
        if (s.forks.size() > 1) {
            evidence.add(s.forks.size() + " forks (BGSAVE / AOF rewrite) in this range; the one above copied the most.");
        }
        evidence.add(s.usedLine());
        evidence.add("RSS of the parent " + bytes(fork.rssBefore()) + " before, " + bytes(fork.rssPeak())
                + " at most while it ran; the copied pages belong to the child, so the " + where + " needed about "
                + bytes(needed) + (host > 0 ? " of its " + bytes(host) + " (" + s.process.label() + ")" : "")
                + ". In the worst case (every page"
                + " written while the child runs" + (maxmemory > data ? ", with the data at maxmemory " + bytes(maxmemory) : "")
                + ") a fork needs " + bytes(worst) + ".");
        Severity severity = host <= 0 ? Severity.INFO
                : needed > 0.9 * host ? Severity.CRITICAL
                : worst > host ? Severity.WARNING : Severity.INFO;
        boolean routine = severity == Severity.INFO && share < HEAVY_SHARE;
        String what = fork.kind() + " at " + utc(fork.start()) + " copied " + bytes(fork.cow()) + " (" + pct(share)
                + " of the data)";
        String summary = routine
                ? "Routine fork: a " + what + "; used_memory " + s.moved(fork.usedBefore(), fork.usedAfter()) + ". Under "
                        + pct(HEAVY_SHARE) + " of the data, and the " + where + " has room even for the worst case ("
                        + bytes(worst) + "): not an incident."
                : "Copy-on-write: a " + what + " while writes went on; used_memory "
                        + s.moved(fork.usedBefore(), fork.usedAfter()) + ", so this is temporary, not growth."
                        + (share >= HEAVY_SHARE ? " Writes during the save grew the footprint by " + pct(share) + "." : "")
                        + switch (severity) {
                            case INFO -> " The " + where + " has room for it, even for the worst case ("
                                    + bytes(worst) + " of " + bytes(host) + "): keep that headroom, not urgent.";
                            case WARNING -> " The " + where + " could not hold the worst case (" + bytes(worst)
                                    + " of " + bytes(host) + "): a busier fork would swap or be killed.";
                            case CRITICAL -> " The " + where + " is nearly out of memory while it runs: swap or the"
                                    + " OOM killer is next.";
                        };
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " INFO persistence   # rdb_last_cow_size, aof_last_cow_size, current_cow_peak, what runs now");
        steps.add("Leave headroom for it: maxmemory " + (maxmemory > 0 ? bytes(maxmemory) : "(unset)") + " + "
                + bytes(fork.cow()) + " copy-on-write must fit in " + (host > 0 ? s.process.describe() : "host memory")
                + " with room for buffers (see the maxmemory-headroom check).");
        steps.add("Move persistence off the peak: " + s.cli + " CONFIG GET save, then CONFIG SET save \"<seconds> <changes>\""
                + " for quiet hours, or BGSAVE on a replica.");
        steps.add("Do not overlap BGSAVE, AOF rewrites (auto-aof-rewrite-percentage), backups and host scans.");
        steps.add("Reduce write churn while the child runs, if a batch job causes it.");
        return new Finding(Verdict.COPY_ON_WRITE, s.weighed(severity), summary, evidence, steps,
                routine ? ROUTINE : "heavy-copy");
    }

    static String forkLine(ForkActivity.Fork fork) {
        return fork.kind() + " between " + utc(fork.start()) + " and " + utc(fork.end()) + " copied "
                + bytes(fork.cow()) + " (current_cow_peak / rdb_last_cow_size) = "
                + pct((double) fork.cow() / Math.max(1, fork.usedBefore())) + " of used_memory "
                + bytes(fork.usedBefore()) + "; used_memory after it " + bytes(fork.usedAfter()) + ".";
    }
}
