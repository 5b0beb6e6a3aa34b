package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.count;
import static io.memdoctor.diagnosis.Text.utc;

/**
 * Replica output buffers and the backlog grew, or a replica resyncs: the primary keeps what its replicas have not
 * taken yet. Memory outside the dataset (and outside eviction, so it can push the host past maxmemory). Still
 * growing, or a replica stuck in a full sync, is WARNING; drained is INFO.
 */
final class ReplicationNarrator {

    private ReplicationNarrator() {
    }

    /** A replica was in a full sync (not online) at two samples or more, and full syncs happened. */
    static boolean resyncing(Signals s) {
        long notOnline = s.ok.stream().filter(p -> Signals.v(p, Metric.REPLICAS_NOT_ONLINE) > 0).count();
        return notOnline >= 2 && Signals.Counter.of(s.all, Metric.SYNC_FULL).total() > 0;
    }

    static Finding narrate(Signals s, Signals.Part buffers) {
        List<String> evidence = new ArrayList<>();
        evidence.add("mem_clients_slaves + mem_replication_backlog " + bytes(buffers.start()) + " → "
                + bytes(buffers.end()) + ", highest " + bytes(buffers.peak()) + " at " + utc(buffers.peakAt().timestamp())
                + " (backlog " + bytes(Signals.v(s.last, Metric.MEM_REPLICATION_BACKLOG)) + " of repl-backlog-size "
                + bytes(Signals.v(s.last, Metric.REPL_BACKLOG_SIZE)) + ").");
        Long total = s.last.getLong(Metric.MEM_TOTAL_REPLICATION_BUFFERS);
        if (total != null) {
            evidence.add("mem_total_replication_buffers " + bytes(total) + " (Redis 7+: the backlog and the replicas'"
                    + " buffers share it).");
        }
        long lag = s.ok.stream().mapToLong(p -> Signals.v(p, Metric.REPLICAS_MAX_LAG_BYTES)).max().orElse(0);
        evidence.add(count(Signals.v(s.last, Metric.CONNECTED_SLAVES)) + " replica(s) connected; the furthest was "
                + bytes(lag) + " behind at most; " + count(Signals.v(s.last, Metric.REPLICAS_NOT_ONLINE))
                + " not online now.");
        long fullSyncs = Signals.Counter.of(s.all, Metric.SYNC_FULL).total();
        if (fullSyncs > 0) {
            evidence.add("sync_full grew by " + count(fullSyncs) + ": full resynchronisations (a fork and the whole"
                    + " dataset sent) in this range.");
        }
        evidence.add(s.datasetLine() + " The dataset did not make this rise.");
        evidence.add(s.headroomLine());
        boolean stuck = Signals.v(s.last, Metric.REPLICAS_NOT_ONLINE) > 0;
        Severity severity = buffers.drained() && !stuck ? Severity.INFO : Severity.WARNING;
        String summary = "Replication: the primary holds " + bytes(buffers.end()) + " for its replicas (highest "
                + bytes(buffers.peak()) + ", up " + bytes(buffers.rise()) + ")"
                + (stuck ? "; a replica is not online (a full sync)" : lag > 0 ? "; a replica lags " + bytes(lag) : "")
                + ": replica output buffers and backlog, not data.";
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " INFO replication   # each replica's state, offset and lag; master_repl_offset");
        steps.add("On each replica: redis-cli -h <replica> INFO replication   # master_link_status, master_sync_in_progress;"
                + " a paused, overloaded or far replica does not read");
        steps.add(s.cli + " CLIENT LIST TYPE replica   # omem per replica");
        steps.add(s.cli + " CONFIG SET client-output-buffer-limit \"replica 256mb 64mb 60\"   # bounds it; a replica past"
                + " it is disconnected and resyncs (a fork on the primary)");
        steps.add("A replica that resyncs in a loop: raise repl-backlog-size (" + s.cli + " CONFIG SET repl-backlog-size"
                + " <size>) so a short disconnection resumes with PSYNC instead of a full sync.");
        return new Finding(Verdict.REPLICATION, s.weighed(severity), summary, evidence, steps,
                stuck ? "full-sync" : lag > 0 ? "lagging-replica" : "buffers");
    }
}
