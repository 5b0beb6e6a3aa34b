package io.memdoctor.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Churn of differently sized values: 100,000 values of six sizes, then a cleanup deletes three in four at random,
 * and from then on values of other sizes are created and deleted (a pool of 5,000). used_memory falls and stays
 * flat; the survivors pin the partly empty pages, which the new sizes cannot reuse, so RSS does not follow.
 */
final class FragmentationWorkload implements Workload {

    static final int KEYS = 100_000;
    static final int[] OLD_SIZES = {40, 100, 300, 700, 1500, 3000};
    static final int[] NEW_SIZES = {60, 200, 500, 1100, 2200};
    static final int CHURN_PER_TICK = 500;
    static final int CHURN_POOL = 5_000;

    private final List<Long> live = new ArrayList<>();
    private long next;

    @Override
    public void prepare(Load load) {
        for (int done = 0; done < KEYS; done += 1000) {
            long base = next;
            load.batch(1000, i -> load.commands().set("frag:" + (base + i),
                    load.value(OLD_SIZES[load.random().nextInt(OLD_SIZES.length)])));
            for (int i = 0; i < 1000; i++) {
                live.add(base + i);
            }
            next += 1000;
        }
    }

    @Override
    public void run(Load load) {
        // the cleanup: three in four values go, chosen at random so every page keeps a survivor
        List<Long> doomed = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        for (Long key : live) {
            (load.random().nextInt(4) == 0 ? kept : doomed).add(key);
        }
        for (int done = 0; done < doomed.size() && load.running(); done += 1000) {
            List<Long> slice = doomed.subList(done, Math.min(doomed.size(), done + 1000));
            load.batch(slice.size(), i -> load.commands().del("frag:" + slice.get(i)));
        }
        // the survivors stay: they pin their pages; the churn is among new values only
        List<Long> pool = new ArrayList<>();
        while (load.running()) {
            List<Long> removed = new ArrayList<>();
            for (int i = 0; i < CHURN_PER_TICK && pool.size() >= CHURN_POOL; i++) {
                int victim = load.random().nextInt(pool.size());
                removed.add(pool.get(victim));
                pool.set(victim, pool.get(pool.size() - 1));
                pool.remove(pool.size() - 1);
            }
            load.batch(removed.size(), i -> load.commands().del("frag:" + removed.get(i)));
            long base = next;
            load.batch(CHURN_PER_TICK, i -> load.commands().set("frag:" + (base + i),
                    load.value(NEW_SIZES[load.random().nextInt(NEW_SIZES.length)])));
            for (int i = 0; i < CHURN_PER_TICK; i++) {
                pool.add(base + i);
            }
            next += CHURN_PER_TICK;
            load.pause(100);
        }
    }
}
