package io.memdoctor.diagnosis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.count;
import static io.memdoctor.diagnosis.Text.utc;

/** Nothing found, or too few samples to tell. */
final class StableNarrator {

    private StableNarrator() {
    }

    static Finding insufficient(int ok, int points, Instant from, Instant to, String cli) {
        return new Finding(Verdict.INSUFFICIENT_DATA, Severity.INFO, "Only " + ok + " successful sample(s) in this"
                + " range; at least " + Diagnoser.MIN_SAMPLES + " are needed to tell growth, fragmentation and"
                + " copy-on-write apart.",
                List.of(ok + " successful of " + points + " samples between " + utc(from) + " and " + utc(to) + "."),
                List.of("Wait for more samples, or pick a longer range.",
                        "Take a sample now: POST /api/instances/{id}/snapshots (the \"Sample now\" button).",
                        cli + " INFO memory   # the facts, right now"));
    }

    static Finding narrate(Signals s) {
        return narrate(s, List.of());
    }

    /** @param routine findings that describe normal operation (a small fork), listed after this one */
    static Finding narrate(Signals s, List<Finding> routine) {
        List<String> evidence = new ArrayList<>();
        evidence.add(s.usedLine());
        evidence.add(s.datasetLine());
        evidence.add("RSS " + bytes(s.rssFirst()) + " → " + bytes(s.rssLast()) + "; mem_fragmentation_ratio "
                + Text.ratio(s.last.getDouble(io.memdoctor.snapshots.Metric.MEM_FRAGMENTATION_RATIO)) + ".");
        evidence.add(s.keysLine());
        evidence.add(s.forks.isEmpty() ? "No BGSAVE or AOF rewrite in this range."
                : s.forks.size() + " fork(s), copying at most "
                        + bytes(s.biggestFork().map(ForkActivity.Fork::cow).orElse(0L)) + ": routine.");
        evidence.add("No keys evicted, no writes refused; no part of the overhead grew by " + bytes(s.significant)
                + " or more.");
        evidence.add(s.headroomLine());
        if (s.gaps > 0) {
            evidence.add(s.gaps + " sample(s) failed in the range (gaps); the rules read the others.");
        }
        String summary = "Stable: used_memory " + s.moved(s.usedFirst(), s.usedLast()) + " and RSS "
                + s.moved(s.rssFirst(), s.rssLast()) + " over " + count(s.ok.size()) + " samples; no eviction, no"
                + " refused write, no growth of data or overhead by the " + bytes(s.significant) + " that counts as"
                + " significant here, no costly fork."
                + (routine.isEmpty() ? "" : " Listed below: " + String.join("; ", routine.stream()
                        .map(f -> f.summary().contains(";") ? f.summary().substring(0, f.summary().indexOf(';'))
                                : f.summary())
                        .toList()) + ".");
        return new Finding(Verdict.STABLE, s.weighed(Severity.INFO), summary, evidence,
                List.of("Nothing to do now. Keep the checks panel free of warnings and alert on the memory-trend check"
                        + " before the instance reaches its ceiling."));
    }
}
