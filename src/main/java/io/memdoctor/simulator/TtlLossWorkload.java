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
        // the steady state: TTLs spread over the next 5 s, so they expire as fast as new keys arrive
        for (int second = 1; second <= TTL_SECONDS; second++) {
            load.setMany("cache:item:", next, 2_000, 1000, second);
            next += 2_000;
        }
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
