package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.utc;

/** Another part of the overhead grew: the AOF buffer, cluster links, or a keyspace hash table that rehashes. */
final class OverheadNarrator {

    private OverheadNarrator() {
    }

    static Finding narrate(Signals s, Metric part, Signals.Part value) {
        List<String> evidence = new ArrayList<>();
        evidence.add(part.infoName() + " " + bytes(value.start()) + " → " + bytes(value.end()) + ", highest "
                + bytes(value.peak()) + " at " + utc(value.peakAt().timestamp()) + ".");
        evidence.add(s.datasetLine());
        evidence.add(s.headroomLine());
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " MEMORY STATS   # aof.buffer, cluster.links, overhead.db.hashtable.rehashing");
        String what = switch (part) {
            case MEM_AOF_BUFFER -> {
                steps.add(s.cli + " INFO persistence   # aof_rewrite_in_progress, aof_delayed_fsync: a slow disk keeps the"
                        + " buffer full");
                yield "the AOF buffer: writes wait for a slow disk or a rewrite";
            }
            case MEM_CLUSTER_LINKS -> {
                steps.add(s.cli + " CLUSTER LINKS   # send-buffer-allocated per peer: a peer that does not read");
                steps.add(s.cli + " CONFIG SET cluster-link-sendbuf-limit <bytes>   # Redis 7+: drop a link past it");
                yield "cluster links: a peer node that does not read its bus messages";
            }
            default -> {
                steps.add("Rehashing ends by itself; a large keyspace that doubles needs twice its table while it lasts:"
                        + " leave headroom for it.");
                yield "a keyspace hash table rehashing (the old and the new table at once)";
            }
        };
        String summary = "Overhead: " + part.infoName() + " rose by " + bytes(value.rise()) + " to "
                + bytes(value.peak()) + ": " + what + ", not data.";
        return new Finding(Verdict.OTHER_OVERHEAD, s.weighed(value.drained() ? Severity.INFO : Severity.WARNING),
                summary, evidence, steps, part.infoName());
    }
}
