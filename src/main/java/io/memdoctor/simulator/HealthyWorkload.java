package io.memdoctor.simulator;

import java.util.List;

/**
 * A healthy cache: maxmemory with allkeys-lru, every key with a TTL. 45,000 sessions (about 50 MB) are refreshed
 * at random, 1,350 a second with a 5-minute TTL, so they stay alive; 150 short-lived keys a second expire after
 * 5 s; 3,000 reads a second. Memory stays flat well under the ceiling.
 */
final class HealthyWorkload implements Workload {

    static final int SESSIONS = 45_000;
    static final int SESSION_TTL_SECONDS = 300;
    static final int REFRESHES_PER_TICK = 135;
    static final int SHORT_LIVED_PER_TICK = 15;
    static final int SHORT_TTL_SECONDS = 5;

    private long shortLived;

    @Override
    public List<String> serverArgs() {
        return List.of("--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru");
    }

    @Override
    public void prepare(Load load) {
        load.setMany("session:", 0, SESSIONS, 1000, SESSION_TTL_SECONDS);
    }

    @Override
    public void run(Load load) {
        while (load.running()) {
            load.batch(REFRESHES_PER_TICK, i -> load.commands().set("session:" + load.random().nextInt(SESSIONS),
                    load.value(1000), io.lettuce.core.SetArgs.Builder.ex(SESSION_TTL_SECONDS)));
            load.setMany("ratelimit:", shortLived, SHORT_LIVED_PER_TICK, 100, SHORT_TTL_SECONDS);
            shortLived += SHORT_LIVED_PER_TICK;
            load.batch(2 * (REFRESHES_PER_TICK + SHORT_LIVED_PER_TICK),
                    i -> load.commands().get("session:" + load.random().nextInt(SESSIONS)));
            load.pause(100);
        }
    }
}
