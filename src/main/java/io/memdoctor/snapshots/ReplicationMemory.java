package io.memdoctor.snapshots;

import java.util.List;
import java.util.Map;

import io.memdoctor.redis.ReplicationInfo;

/**
 * What replication costs a primary in memory, from its newest sample and INFO text: the replicas' output buffers
 * ({@code mem_clients_slaves}), the backlog ({@code mem_replication_backlog} of {@code repl_backlog_size}), the
 * buffer they share on 7.0+ ({@code mem_total_replication_buffers}), and each replica's lag, in seconds since its
 * last acknowledgement and in bytes behind {@code master_repl_offset}. A replica that lags keeps the primary holding
 * what it has not taken. Values a server does not report are {@code null}.
 *
 * @param role {@code master} or {@code slave}, as the server says
 * @param connectedReplicas connected_slaves
 * @param memClientsSlaves the replicas' output buffers, in bytes
 * @param memReplicationBacklog the backlog's memory now
 * @param replBacklogSize the backlog's configured size
 * @param memTotalReplicationBuffers the shared replication buffer (Redis 7.0+)
 * @param replicas each replica with its lag
 */
public record ReplicationMemory(String role, Long connectedReplicas, Long memClientsSlaves, Long memReplicationBacklog,
        Long replBacklogSize, Long memTotalReplicationBuffers, List<Replica> replicas) {

    /** A backlog above this is shown even without replicas: it is memory kept for ones that may come back. */
    static final long NOTABLE_BACKLOG = 4L * 1024 * 1024;

    public ReplicationMemory {
        replicas = List.copyOf(replicas);
    }

    /**
     * One replica.
     *
     * @param address host:port it announced
     * @param state online, wait_bgsave, send_bulk...
     * @param lagSeconds seconds since its last acknowledgement ({@code null} when not reported)
     * @param bytesBehind master_repl_offset minus its offset ({@code null} while it is not online: its offset means
     *     nothing during a full sync)
     */
    public record Replica(String address, String state, Long lagSeconds, Long bytesBehind) {
    }

    /** From the newest successful sample and the newest INFO text (either may be {@code null}). */
    public static ReplicationMemory of(Snapshot latest, String info) {
        Map<String, String> fields = InfoParser.fields(info == null ? "" : info);
        Long masterOffset = number(fields.get("master_repl_offset"));
        List<Replica> replicas = ReplicationInfo.parse(info).replicas().stream().map(r -> new Replica(r.address(),
                r.state(), r.lagSeconds() < 0 ? null : r.lagSeconds(),
                r.online() && masterOffset != null && r.offset() >= 0 && r.offset() <= masterOffset
                        ? masterOffset - r.offset() : null)).toList();
        Snapshot s = latest;
        return new ReplicationMemory(s == null ? fields.get("role") : s.getText(Metric.ROLE),
                s == null ? null : s.getLong(Metric.CONNECTED_SLAVES), s == null ? null : s.getLong(Metric.MEM_CLIENTS_SLAVES),
                s == null ? null : s.getLong(Metric.MEM_REPLICATION_BACKLOG),
                s == null ? null : s.getLong(Metric.REPL_BACKLOG_SIZE),
                s == null ? null : s.getLong(Metric.MEM_TOTAL_REPLICATION_BUFFERS), replicas);
    }

    /** Whether the instance page shows it: the instance has replicas, or a backlog of a few MB. */
    public boolean matters() {
        return !replicas.isEmpty() || connectedReplicas != null && connectedReplicas > 0
                || memReplicationBacklog != null && memReplicationBacklog >= NOTABLE_BACKLOG;
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.parseLong(text.strip());
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }
}
