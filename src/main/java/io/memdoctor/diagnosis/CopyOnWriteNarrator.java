package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.pct;
import static io.memdoctor.diagnosis.Text.utc;

/**
 * A fork copied a sizeable share of the data. Severity from the host: the parent's RSS plus the copy must fit, and
 * in the worst case a fork copies everything. A routine fork with room for that is INFO.
 */
final class CopyOnWriteNarrator {

    private CopyOnWriteNarrator() {
    }

    static Finding narrate(Signals s, ForkActivity.Fork fork) {
        long host = Signals.v(s.last, Metric.TOTAL_SYSTEM_MEMORY);
        long maxmemory = Signals.v(s.last, Metric.MAXMEMORY);
        long needed = fork.rssPeak() + fork.cow();
        long worst = Math.max(fork.rssPeak(), s.rssLast()) + Math.max(fork.usedBefore(), fork.usedAfter());
        List<String> evidence = new ArrayList<>();
        evidence.add(forkLine(fork));
        if (s.forks.size() > 1) {
            evidence.add(s.forks.size() + " forks (BGSAVE / AOF rewrite) in this range; the one above copied the most.");
        }
        evidence.add(s.usedLine());
        evidence.add("RSS of the parent " + bytes(fork.rssBefore()) + " before, " + bytes(fork.rssPeak())
                + " at most while it ran; the copied pages belong to the child, so the host needed about "
                + bytes(needed) + (host > 0 ? " of its " + bytes(host) : "") + ". In the worst case (every page"
                + " written while the child runs) a fork needs " + bytes(worst) + ".");
        Severity severity = host <= 0 ? Severity.INFO
                : needed > 0.9 * host ? Severity.CRITICAL
                : worst > host ? Severity.WARNING : Severity.INFO;
        String weight = severity == Severity.INFO
                ? " The host has room for it, even for the worst case: routine, not an incident."
                : severity == Severity.WARNING ? " The host could not hold the worst case: a busier fork would swap or be killed."
                : " The host is nearly out of memory while it runs: swap or the OOM killer is next.";
        String summary = "Copy-on-write: a " + fork.kind() + " at " + utc(fork.start()) + " copied " + bytes(fork.cow())
                + " (" + pct((double) fork.cow() / Math.max(1, fork.usedBefore())) + " of the data) while writes went"
                + " on; used_memory " + s.moved(fork.usedBefore(), fork.usedAfter()) + ", so this is temporary, not growth."
                + weight;
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " INFO persistence   # rdb_last_cow_size, aof_last_cow_size, current_cow_peak, what runs now");
        steps.add("Leave headroom for it: maxmemory " + (maxmemory > 0 ? bytes(maxmemory) : "(unset)") + " + "
                + bytes(fork.cow()) + " copy-on-write must fit in " + (host > 0 ? bytes(host) : "host memory")
                + " with room for buffers (see the maxmemory-headroom check).");
        steps.add("Move persistence off the peak: " + s.cli + " CONFIG GET save, then CONFIG SET save \"<seconds> <changes>\""
                + " for quiet hours, or BGSAVE on a replica.");
        steps.add("Do not overlap BGSAVE, AOF rewrites (auto-aof-rewrite-percentage), backups and host scans.");
        steps.add("Reduce write churn while the child runs, if a batch job causes it.");
        return new Finding(Verdict.COPY_ON_WRITE, s.weighed(severity), summary, evidence, steps);
    }

    static String forkLine(ForkActivity.Fork fork) {
        return fork.kind() + " between " + utc(fork.start()) + " and " + utc(fork.end()) + " copied "
                + bytes(fork.cow()) + " (current_cow_peak / rdb_last_cow_size) = "
                + pct((double) fork.cow() / Math.max(1, fork.usedBefore())) + " of used_memory "
                + bytes(fork.usedBefore()) + "; used_memory after it " + bytes(fork.usedAfter()) + ".";
    }
}
