package io.memdoctor.simulator;

/**
 * A feed that is never trimmed: one list gains about 2 MB a second while the rest of a session cache stays put.
 * The key count is flat; the memory is inside one key.
 */
final class UnboundedListWorkload implements Workload {

    static final String FEED = "user:1001:feed";
    static final int ITEMS_PER_TICK = 200;
    static final int ITEM_BYTES = 1000;
    /** Stops growing here, so a long demo cannot fill the machine. */
    static final long CAP_BYTES = 400L * 1024 * 1024;

    @Override
    public void prepare(Load load) {
        load.setMany("session:", 0, 20_000, 500, 3600);
    }

    @Override
    public void run(Load load) {
        long pushed = 0;
        while (load.running()) {
            if (pushed < CAP_BYTES) {
                load.batch(ITEMS_PER_TICK, i -> load.commands().rpush(FEED, load.value(ITEM_BYTES)));
                pushed += (long) ITEMS_PER_TICK * ITEM_BYTES;
            }
            load.pause(100);
        }
    }
}
