package io.memdoctor.simulator;

import java.util.List;

/**
 * A cache under {@code noeviction} that reaches its maxmemory of 48 MB: keys with a TTL keep arriving at about
 * 3 MB a second, and once the ceiling is reached Redis refuses each write with OOM.
 */
final class MaxmemoryNoevictionWorkload implements Workload {

    static final int KEYS_PER_TICK = 300;

    private long next;

    @Override
    public List<String> serverArgs() {
        return List.of("--maxmemory", "48mb", "--maxmemory-policy", "noeviction");
    }

    @Override
    public void prepare(Load load) {
        load.setMany("cache:page:", 0, 20_000, 1000, 3600);
        next = 20_000;
    }

    @Override
    public void run(Load load) {
        while (load.running()) {
            load.setMany("cache:page:", next, KEYS_PER_TICK, 1000, 3600);
            next += KEYS_PER_TICK;
            load.pause(100);
        }
    }
}
