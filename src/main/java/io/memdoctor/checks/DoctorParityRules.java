package io.memdoctor.checks;

import java.util.List;

import io.memdoctor.format.Units;
import io.memdoctor.instances.ClientList;
import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

import static io.memdoctor.format.Units.bytes;
import static io.memdoctor.format.Units.count;

/**
 * The rules MEMORY DOCTOR applies to buffers and scripts, with its thresholds, plus {@code big-keys} from the
 * newest scan.
 */
final class DoctorParityRules {

    /** MEMORY DOCTOR: normal clients averaging more than 200 KB of buffers. */
    static final long CLIENT_AVG_BYTES = 200 * 1024;
    /** MEMORY DOCTOR: replica output buffers above 10 MB. */
    static final long REPLICA_BYTES = 10 * Units.MB;
    /** MEMORY DOCTOR: more than 1000 cached scripts. */
    static final long SCRIPTS = 1000;

    private DoctorParityRules() {
    }

    /** Whether the buffers are large enough that naming the clients holding them is worth a CLIENT LIST. */
    static boolean wantsClientList(Snapshot latest) {
        Long buffers = latest.getLong(Metric.MEM_CLIENTS_NORMAL);
        Long clients = latest.getLong(Metric.CONNECTED_CLIENTS);
        return buffers != null && clients != null && clients > 0 && buffers / clients > CLIENT_AVG_BYTES;
    }

    static CheckResult clientBuffers(CheckContext c) {
        String id = "client-buffers";
        Long buffers = c.value(Metric.MEM_CLIENTS_NORMAL);
        Long clients = c.value(Metric.CONNECTED_CLIENTS);
        if (buffers == null || clients == null) {
            return CheckResult.unknown(id, "Client buffers", "INFO did not report mem_clients_normal.");
        }
        long average = clients == 0 ? 0 : buffers / clients;
        String evidence = "mem_clients_normal " + bytes(buffers) + " over " + count(clients) + " clients: "
                + bytes(average) + " each on average (MEMORY DOCTOR's limit: " + bytes(CLIENT_AVG_BYTES) + ").";
        if (average <= CLIENT_AVG_BYTES) {
            return CheckResult.ok(id, "Client buffers are small", evidence);
        }
        List<ClientList.Client> top = c.clients().clients().stream().filter(client -> client.omem() > 0).limit(3).toList();
        if (top.isEmpty()) {
            String why = c.clients().available() ? " CLIENT LIST shows no output buffer now: input buffers or a"
                    + " burst that has drained." : " Clients not named: " + c.clients().unavailable();
            return new CheckResult(id, CheckSeverity.WARNING, "Clients hold large buffers",
                    evidence + " Slow readers of big replies, or pipelines and MONITOR, keep output buffers full." + why,
                    "CLIENT LIST   # look at omem (output) and qbuf (query) per client; flags P = pub/sub, S = replica\n"
                            + "CONFIG SET client-output-buffer-limit \"normal 256mb 64mb 60\"   # cap slow readers;"
                            + " pub/sub subscribers have their own class: \"pubsub 32mb 8mb 60\"\n"
                            + "CONFIG SET maxmemory-clients 5%   # Redis 7+: evict clients, not data");
        }
        ClientList.Client biggest = top.get(0);
        StringBuilder named = new StringBuilder(" Largest output buffers (CLIENT LIST): ");
        for (int i = 0; i < top.size(); i++) {
            ClientList.Client client = top.get(i);
            named.append(i == 0 ? "" : "; ").append("id=").append(client.id())
                    .append(client.name().isEmpty() ? "" : " name=" + client.name()).append(" addr=").append(client.addr())
                    .append(", class ").append(client.kind().limitName()).append(" (flags=").append(client.flags())
                    .append("), omem ").append(bytes(client.omem())).append(", last command ").append(client.cmd());
        }
        String kind = biggest.kind().limitName();
        String limit = switch (biggest.kind()) {
            case PUBSUB -> "pubsub 32mb 8mb 60";
            case REPLICA -> "replica 256mb 64mb 60";
            case NORMAL -> "normal 256mb 64mb 60";
        };
        return new CheckResult(id, CheckSeverity.WARNING, "Clients hold large buffers: the largest is a " + kind
                + " client", evidence + named + ". A " + kind + " client is capped by the '" + kind + "' class of"
                        + " client-output-buffer-limit" + (biggest.kind() == ClientList.ClientClass.NORMAL ? ""
                                : ", not by the 'normal' one") + ".",
                "CLIENT KILL ID " + biggest.id() + "   # frees its buffer now; fix the reader before it reconnects\n"
                        + "CONFIG SET client-output-buffer-limit \"" + limit + "\"   # the limit for " + kind + " clients\n"
                        + "CONFIG SET maxmemory-clients 5%   # Redis 7+: evict clients, not data");
    }

    static CheckResult replicaBuffers(CheckContext c) {
        String id = "replica-buffers";
        Long buffers = c.value(Metric.MEM_CLIENTS_SLAVES);
        if (buffers == null) {
            return CheckResult.unknown(id, "Replica buffers", "INFO did not report mem_clients_slaves.");
        }
        String evidence = "mem_clients_slaves " + bytes(buffers) + " (MEMORY DOCTOR's limit: " + bytes(REPLICA_BYTES) + ").";
        if (buffers <= REPLICA_BYTES) {
            return CheckResult.ok(id, "Replica buffers are small", evidence);
        }
        return new CheckResult(id, CheckSeverity.WARNING, "Replicas hold large output buffers",
                evidence + " Replicas cannot keep up (network, a full sync, a slow disk), and the primary holds the backlog in memory.",
                "INFO replication   # lag and state of each replica\n"
                        + "CONFIG SET client-output-buffer-limit \"replica 512mb 128mb 60\"   # bound it (a replica past it resyncs)");
    }

    static CheckResult cachedScripts(CheckContext c) {
        String id = "cached-scripts";
        Long scripts = c.value(Metric.NUMBER_OF_CACHED_SCRIPTS);
        if (scripts == null) {
            return CheckResult.unknown(id, "Cached scripts", "INFO did not report number_of_cached_scripts.");
        }
        String evidence = "number_of_cached_scripts " + count(scripts) + " (MEMORY DOCTOR's limit: " + count(SCRIPTS) + ").";
        if (scripts <= SCRIPTS) {
            return CheckResult.ok(id, "Few cached scripts", evidence);
        }
        return new CheckResult(id, CheckSeverity.WARNING, "Many cached Lua scripts",
                evidence + " Scripts built with values inside them are cached one by one and never freed.",
                "SCRIPT FLUSH   # frees them; clients reload with EVAL on NOSCRIPT\n"
                        + "# then pass values as KEYS/ARGV to one script and call it with EVALSHA");
    }

    static CheckResult bigKeys(CheckContext c) {
        String id = "big-keys";
        if (c.scan().isEmpty()) {
            return new CheckResult(id, CheckSeverity.UNKNOWN, "No scan yet: run one",
                    "Big keys are found by scanning the keyspace; no scan of this instance has run yet.",
                    "redis-cli --bigkeys   # or --memkeys for bytes; on a replica if you can, it adds load");
        }
        LatestScanSummary.ScanFindings scan = c.scan().get();
        String when = "scan of " + Units.utc(scan.finishedAt()) + " (" + count(scan.keysScanned()) + " keys)";
        if (scan.bigKeys().isEmpty()) {
            return CheckResult.ok(id, "No key over the thresholds", "The " + when + " found none.");
        }
        List<LatestScanSummary.BigKey> top = scan.bigKeys().stream().limit(5).toList();
        StringBuilder evidence = new StringBuilder("The " + when + " found " + count(scan.bigKeys().size())
                + " key(s) over the thresholds: ");
        for (int i = 0; i < top.size(); i++) {
            LatestScanSummary.BigKey key = top.get(i);
            evidence.append(i == 0 ? "" : ", ").append(key.key()).append(" (").append(key.type()).append(", ")
                    .append(key.bytes() == null ? "size unknown" : bytes(key.bytes())).append(", ").append(count(key.elements())).append(" items)");
        }
        // a whole shell line with the key quoted for a shell: a bare MEMORY USAGE "$(...)" pasted into a terminal
        // would run the substitution even though MEMORY is no command
        String first = RedisCliCommand.canName(top.get(0).key())
                ? RedisCliCommand.local().forKey("MEMORY USAGE", top.get(0).key())
                : "redis-cli --memkeys   # the biggest key's name is too long to show whole";
        return new CheckResult(id, CheckSeverity.WARNING, "Big keys found", evidence.append('.').toString(),
                first + "\n# then bound it in the application: LTRIM for lists, EXPIRE for transient"
                        + " structures, split big hashes/sets into partitions, read with HSCAN/SSCAN/ZSCAN");
    }
}
