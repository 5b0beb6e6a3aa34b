package io.memdoctor.simulator;

import java.util.Locale;

import io.lettuce.core.SetArgs;

/**
 * What real instances do besides an incident, run beside a scenario on its own connection, so a diagnosis is
 * measured on histories that are not clean: it must still find the incident, and say nothing about a healthy
 * instance.
 */
public enum Noise {

    /** Nothing beside the scenario. */
    NONE,
    /** Short-lived keys written and expiring all the time: 500 keys of 200 bytes a tick, 2-second TTL. */
    TTL_CHURN,
    /** A BGSAVE every 20 seconds. */
    BGSAVE,
    /**
     * A queue that fills for 25 s of wall-clock time (about 30 MB when the machine keeps up, less when it does not)
     * and is drained in the next 15 s, again and again.
     */
    QUEUE,
    /** The server frozen (SIGSTOP) for 5 s every 45 s: samples fail, the history has gaps. */
    GAPS,
    /** After 40 s, SAVE, kill and restart the server: it loads its data back, uptime starts again. */
    RESTART;

    /** kebab-case name: {@code ttl-churn}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static final long QUEUE_FILL_MILLIS = 25_000;
    static final long QUEUE_DRAIN_MILLIS = 15_000;

    void run(Load load) {
        switch (this) {
            case NONE -> { }
            case TTL_CHURN -> {
                long next = 0;
                while (load.running()) {
                    long base = next;
                    load.batch(500, i -> load.commands().set("churn:" + (base + i), load.value(200), SetArgs.Builder.ex(2)));
                    next += 500;
                    load.pause(100);
                }
            }
            case BGSAVE -> {
                while (load.running()) {
                    load.pause(20_000);
                    if (load.running()) {
                        load.batch(1, i -> load.commands().bgsave());
                    }
                }
            }
            case QUEUE -> {
                // paced by the clock, not by batches: on a loaded machine 250 batches took over 60 s, a fill as
                // long as min-climb, which is growth to the rules until it drains (not the noise described here)
                while (load.running()) {
                    long fillEnd = System.currentTimeMillis() + QUEUE_FILL_MILLIS;
                    while (load.running() && System.currentTimeMillis() < fillEnd) {
                        load.batch(120, i -> load.commands().lpush("jobs", load.value1k()));
                        load.pause(100);
                    }
                    long drainEnd = System.currentTimeMillis() + QUEUE_DRAIN_MILLIS;
                    while (load.running() && System.currentTimeMillis() < drainEnd) {
                        load.batch(200, i -> load.commands().rpop("jobs"));
                        load.pause(100);
                    }
                    load.batch(1, i -> load.commands().del("jobs"));
                }
            }
            case GAPS -> {
                while (load.running()) {
                    load.pause(45_000);
                    if (load.running()) {
                        load.server().pause(true);
                        sleep(5_000);
                        load.server().pause(false);
                    }
                }
            }
            case RESTART -> {
                load.pause(40_000);
                if (load.running()) {
                    load.batch(1, i -> load.commands().save());
                    load.server().kill();
                    load.server().restart();
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
