package io.memdoctor.replicas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.sampling.SamplingOwnership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;

/**
 * Sampling ownership by lease: this replica samples the instances whose lease it renews or takes at the tick. Ticks
 * fall on multiples of the interval on every replica, and a lease lasts 1.5 intervals: the owner renews it at every
 * tick, and when the owner dies its lease has expired by the second tick after its last one, where another replica
 * takes it. So a replica's death costs each of its instances one missed sample, and no instance is sampled twice
 * in an interval while its owner lives.
 *
 * <p>Each replica holds at most its share, {@code ceil(instances / live replicas)}: it takes free leases only below
 * its share and hands over those above it (sampled by it a last time at this tick, their leases expire half an
 * interval later, free for the next tick), so a replica that joins gets work without a missed sample, and one that
 * dies has its share spread over the others (a replica counts as alive while it ticked within 1.5 intervals).
 */
class LeaseOwnership implements SamplingOwnership {

    private static final Logger log = LoggerFactory.getLogger(LeaseOwnership.class);

    private final SamplingLeases leases;
    private final Duration aliveWindow;
    private final Duration handOver;

    LeaseOwnership(SamplingLeases leases, Duration interval) {
        this.leases = leases;
        this.aliveWindow = interval.multipliedBy(3).dividedBy(2);
        this.handOver = interval.dividedBy(2);
    }

    @Override
    public List<Instance> claim(List<Instance> all) {
        try {
            int alive = leases.heartbeat(aliveWindow);
            int share = (all.size() + alive - 1) / alive;
            List<Instance> mine = new ArrayList<>();
            List<Instance> free = new ArrayList<>();
            // keep what this replica holds up to its share and hand the rest over, then take free ones
            int kept = 0;
            for (Instance instance : all) {
                if (leases.renew(instance.id())) {
                    if (kept < share) {
                        kept++;
                    }
                    else {
                        // sampled here a last time: its lease expires before the next tick, where another takes it
                        leases.handOver(instance.id(), handOver);
                    }
                    mine.add(instance);
                }
                else {
                    free.add(instance);
                }
            }
            for (Instance instance : free) {
                if (kept >= share) {
                    break;
                }
                if (leases.claim(instance.id())) {
                    mine.add(instance);
                    kept++;
                }
            }
            return mine;
        }
        catch (DataAccessException ex) {
            // without the database nobody can tell who owns what, and samples could not be stored anyway
            log.warn("Could not claim sampling leases: {}", ex.getMessage());
            return List.of();
        }
    }

    /**
     * The replica through which an instance was added takes its lease (the first claim, which only one replica can
     * make) and its first sample at once; at the next tick it keeps or gives the lease up by its share, as any.
     */
    @Override
    public boolean claimNew(Instance instance) {
        try {
            return leases.claim(instance.id());
        }
        catch (DataAccessException ex) {
            log.warn("Could not claim the sampling lease of {}: {}", instance.id(), ex.getMessage());
            return false;
        }
    }

    /** A removed instance's lease is forgotten, so an instance added again later starts clean. */
    @EventListener
    void onRemoved(InstanceRemoved event) {
        leases.forget(event.id());
    }

    @Override
    public boolean alignTicks() {
        return true;
    }

    @Override
    public void release() {
        try {
            int released = leases.releaseAll();
            log.info("Replica {} released {} sampling leases", leases.owner(), released);
        }
        catch (DataAccessException ex) {
            log.warn("Could not release the sampling leases: {}", ex.getMessage());
        }
    }
}
