package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.memdoctor.instances.ClientList;
import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.count;
import static io.memdoctor.diagnosis.Text.utc;

/**
 * Output buffers of normal and pub/sub clients grew: a client that does not read what Redis sends (a stuck pub/sub
 * subscriber, a slow consumer of big replies, MONITOR). The memory is overhead, not data: trimming keys does
 * nothing. Still growing at the end is WARNING; filled and drained is INFO (weighed against the headroom).
 */
final class ClientBuffersNarrator {

    /** Clients holding at least this much output buffer are named. */
    static final long NAMED_FROM = 1024 * 1024;
    static final int NAMED = 5;

    private ClientBuffersNarrator() {
    }

    static Finding narrate(Signals s, Signals.Part buffers, Supplier<ClientList> clientList) {
        List<String> evidence = new ArrayList<>();
        evidence.add("mem_clients_normal " + bytes(buffers.start()) + " → " + bytes(buffers.end()) + ", highest "
                + bytes(buffers.peak()) + " at " + utc(buffers.peakAt().timestamp()) + " (" + count(Signals.v(buffers.peakAt(),
                        Metric.CONNECTED_CLIENTS)) + " clients connected then).");
        Long recent = s.last.getLong(Metric.CLIENT_RECENT_MAX_OUTPUT_BUFFER);
        if (recent != null) {
            evidence.add("client_recent_max_output_buffer " + bytes(recent) + ": the largest single output buffer lately.");
        }
        evidence.add(s.datasetLine() + " The dataset did not make this rise: it is buffers, not keys.");
        long evictedClients = Signals.Counter.of(s.all, Metric.EVICTED_CLIENTS).total();
        if (evictedClients > 0) {
            evidence.add("evicted_clients grew by " + count(evictedClients) + ": maxmemory-clients disconnected clients.");
        }
        ClientList clients = clientList.get();
        List<ClientList.Client> holders = clients.holdingAtLeast(NAMED_FROM, NAMED);
        if (!clients.available()) {
            evidence.add("Clients not named: " + clients.unavailable());
        }
        else if (holders.isEmpty()) {
            evidence.add("CLIENT LIST now: no client holds " + bytes(NAMED_FROM) + " or more of output buffer.");
        }
        else {
            holders.forEach(c -> evidence.add("CLIENT LIST: id=" + c.id() + (c.name().isEmpty() ? "" : " name=" + c.name())
                    + " addr=" + c.addr() + " class " + c.kind().limitName() + " (flags=" + c.flags() + "), omem "
                    + bytes(c.omem()) + ", tot-mem " + bytes(c.totMem()) + ", last command " + c.cmd() + ", idle "
                    + c.idle() + " s."));
        }
        evidence.add(s.headroomLine());
        boolean draining = buffers.drained();
        Severity severity = draining ? Severity.INFO : Severity.WARNING;
        String who = holders.isEmpty() ? "" : "; the largest is " + describe(holders.get(0));
        String summary = "Client output buffers: mem_clients_normal rose by " + bytes(buffers.rise()) + " to "
                + bytes(buffers.peak()) + (draining ? " and drained again (" + bytes(buffers.end()) + " now)"
                        : " and holds " + bytes(buffers.end()) + " now")
                + ": clients that do not read what Redis sends them (a stuck subscriber, a slow consumer), not data"
                + who + ".";
        String kind = holders.isEmpty() ? null : holders.get(0).kind().limitName();
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " CLIENT LIST   # omem (output buffer) and tot-mem per client; flags P = pub/sub, S = replica");
        if (holders.isEmpty()) {
            steps.add(s.cli + " CLIENT KILL ID <id>   # the client with the largest omem, once you know whose it is");
        }
        else {
            steps.add(s.cli + " CLIENT KILL ID " + holders.get(0).id() + "   # frees its buffer; fix the reader before"
                    + " it reconnects");
        }
        String limit = "pubsub".equals(kind) ? "pubsub 32mb 8mb 60" : "normal 256mb 64mb 60";
        steps.add(s.cli + " CONFIG SET client-output-buffer-limit \"" + limit + "\"   # caps "
                + ("pubsub".equals(kind) ? "subscribers: a normal limit does not apply to them"
                        : "normal clients (default: unlimited); pub/sub subscribers have their own 'pubsub' class"));
        if (major(s) >= 7) {
            steps.add(s.cli + " CONFIG SET maxmemory-clients 5%   # Redis 7+: disconnect the biggest clients before"
                    + " their buffers evict data");
        }
        steps.add("Fix the reader: a subscriber must read as fast as publishers send; a consumer of big replies should"
                + " page (SCAN, LRANGE in slices) instead of fetching everything.");
        return new Finding(Verdict.CLIENT_BUFFERS, s.weighed(severity), summary, evidence, steps, kind);
    }

    private static String describe(ClientList.Client c) {
        return (c.name().isEmpty() ? "" : "'" + c.name() + "' ") + "at " + c.addr() + " (" + c.kind().limitName()
                + ", " + bytes(c.omem()) + " waiting to be sent, last command " + c.cmd() + ")";
    }

    static int major(Signals s) {
        String version = s.last.getText(Metric.REDIS_VERSION);
        try {
            return version == null ? 0 : Integer.parseInt(version.split("\\.")[0]);
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }
}
