package io.memdoctor.simulator;

/**
 * A cache whose keys lose their TTL after a "deploy": 2,000 keys a second, first written with a 5-second expiry
 * (a steady 10,000 keys), then, from the deploy on, without one, so they pile up.
 */
final class TtlLossWorkload implements Workload {

    static final int KEYS_PER_TICK = 200;
    static final int TTL_SECONDS = 5;
    static final long DEPLOY_AFTER_MILLIS = 5_000;
    /** Keys without a TTL written at most, so a long demo cannot fill the machine. */
    static final long CAP_KEYS = 200_000;

    private long next;

    @Override
    public void prepare(Load load) {
        // the steady state: 10,000 keys whose expiries are spread evenly over the next 5 s. Written with a long TTL
        // first and given their real one at the very end, so the time loading takes does not thin them out.
        int keys = 2_000 * TTL_SECONDS;
        load.setMany("cache:item:", 0, keys, 1000, 60);
        for (int done = 0; done < keys; done += 1000) {
            int base = done;
            load.batch(1000, i -> load.commands().pexpire("cache:item:" + (base + i),
                    1 + (long) (base + i) * TTL_SECONDS * 1000 / keys));
        }
        next = keys;
    }

    @Override
    public void run(Load load) {
        long started = System.currentTimeMillis();
        long withoutTtl = 0;
        while (load.running()) {
            boolean deployed = System.currentTimeMillis() - started >= DEPLOY_AFTER_MILLIS;
            if (!deployed || withoutTtl < CAP_KEYS) {
                load.setMany("cache:item:", next, KEYS_PER_TICK, 1000, deployed ? 0 : TTL_SECONDS);
                next += KEYS_PER_TICK;
                withoutTtl += deployed ? KEYS_PER_TICK : 0;
            }
            load.pause(100);
        }
    }
}
