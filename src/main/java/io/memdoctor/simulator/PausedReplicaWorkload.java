package io.memdoctor.simulator;

import java.util.List;

/**
 * A replica that stopped reading: the primary holds 50,000 keys, a replica of the same server build syncs, then is
 * paused with SIGSTOP while 1 KB writes go on, about 3 MB a second. The primary keeps what the replica has not
 * taken in its output buffer ({@code mem_clients_slaves}); repl-timeout is raised so it is not dropped after a minute.
 * Writes stop while that buffer holds {@link #CAP_BYTES}.
 */
final class PausedReplicaWorkload implements Workload {

    static final int KEYS = 50_000;
    static final int WRITES_PER_TICK = 300;
    static final long CAP_BYTES = 300L * 1024 * 1024;

    private LocalRedisServer replica;

    @Override
    public List<String> serverArgs() {
        return List.of("--repl-timeout", "3600", "--client-output-buffer-limit", "replica", "1gb", "1gb", "0");
    }

    @Override
    public void prepare(Load load) {
        load.setMany("order:", 0, KEYS, 1000, 0);
        LocalRedisServer primary = load.server();
        replica = LocalRedisServer.start(primary.binary(), List.of("--replicaof", "127.0.0.1",
                Integer.toString(primary.port())));
        long deadline = System.currentTimeMillis() + 60_000;
        String state = load.infoField("replication", "slave0");
        while (state == null || !state.contains("state=online")) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the replica did not come online: " + state);
            }
            load.pause(100);
            state = load.infoField("replication", "slave0");
        }
        replica.pause(true);
    }

    @Override
    public void run(Load load) {
        long written = 0;
        int tick = 0;
        while (load.running()) {
            if (tick++ % 10 != 0 || load.infoLong("memory", "mem_clients_slaves") < CAP_BYTES) {
                long base = written;
                load.batch(WRITES_PER_TICK, i -> load.commands().set("order:" + ((base + i) % KEYS), load.value1k()));
                written += WRITES_PER_TICK;
            }
            load.pause(100);
        }
    }

    @Override
    public void close() {
        if (replica != null) {
            replica.pause(false);
            replica.close();
        }
    }
}
