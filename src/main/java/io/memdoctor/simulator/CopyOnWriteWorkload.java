package io.memdoctor.simulator;

import java.util.List;

/**
 * A BGSAVE while heavy writes go on: 200,000 values of 1 KB (incompressible, so the save takes real time), then
 * repeatedly a BGSAVE during which every value is overwritten with one of the same size (the same allocator size class, so used_memory stays flat) as fast as Redis takes
 * it. used_memory stays flat; the child's copied pages (copy-on-write) are the spike.
 */
final class CopyOnWriteWorkload implements Workload {

    static final int KEYS = 200_000;
    static final long IDLE_BETWEEN_SAVES_MILLIS = 10_000;

    @Override
    public List<String> serverArgs() {
        // a ceiling, so the headroom check has something to weigh the copy-on-write against
        return List.of("--maxmemory", "1gb", "--maxmemory-policy", "allkeys-lru");
    }

    @Override
    public void prepare(Load load) {
        load.setMany("cow:", 0, KEYS, 1000, 0);
    }

    @Override
    public void run(Load load) {
        while (load.running()) {
            load.batch(1, i -> load.commands().bgsave());
            long deadline = System.currentTimeMillis() + 60_000;
            int written = 0;
            while (load.running() && System.currentTimeMillis() < deadline
                    && (written < 20_000 || "1".equals(load.infoField("persistence", "rdb_bgsave_in_progress")))) {
                int base = load.random().nextInt(KEYS - 1000);
                load.batch(1000, i -> load.commands().set("cow:" + (base + i), load.value(1000)));
                written += 1000;
                if (written >= KEYS * 2) {
                    break;
                }
            }
            load.pause(IDLE_BETWEEN_SAVES_MILLIS);
        }
    }
}
