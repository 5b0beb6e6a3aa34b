package io.memdoctor.simulator;

import io.lettuce.core.ScriptOutputType;

/**
 * A client that builds its Lua script with the value inside (the classic mistake): every call is a new script,
 * which Redis compiles and caches. 2,000 EVALs a second of distinct 500-byte scripts, up to {@link #CAP} of them.
 * Redis 7.4 and later evict EVAL scripts past 500 (evicted_scripts), so there the cache stays bounded.
 */
final class ScriptFloodWorkload implements Workload {

    static final int PER_TICK = 200;
    static final long CAP = 300_000;

    @Override
    public void prepare(Load load) {
        load.setMany("item:", 0, 20_000, 500, 0);
    }

    @Override
    public void run(Load load) {
        String padding = load.randomText(480).replace("'", "").replace("\\", "");
        long next = 0;
        while (load.running()) {
            if (next < CAP) {
                long base = next;
                load.batch(PER_TICK, i -> load.commands().eval("return 'item " + (base + i) + " " + padding + "'",
                        ScriptOutputType.VALUE));
                next += PER_TICK;
            }
            load.pause(100);
        }
    }
}
