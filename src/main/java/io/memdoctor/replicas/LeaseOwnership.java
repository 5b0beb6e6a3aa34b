package io.memdoctor.replicas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.sampling.SamplingOwnership;
import io.memdoctor.sampling.SamplingOwnershipChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
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
 *
 * <p>What this replica gained or lost at a tick is published ({@link SamplingOwnershipChanged}) before its samples
 * start, so the alert engine reloads a gained instance's alerts from the database and drops a lost one's.
 */
class LeaseOwnership implements SamplingOwnership {

    private static final Logger log = LoggerFactory.getLogger(LeaseOwnership.class);

    private final SamplingLeases leases;
    private final Duration aliveWindow;
    private final Duration handOver;
    private final ApplicationEventPublisher events;
    /** The instances sampled here at the last tick (or taken at their addition since). */
    private final Set<InstanceId> held = ConcurrentHashMap.newKeySet();

    LeaseOwnership(SamplingLeases leases, Duration interval, ApplicationEventPublisher events) {
        this.leases = leases;
        this.events = events;
        this.aliveWindow = interval.multipliedBy(3).dividedBy(2);
        this.handOver = interval.dividedBy(2);
    }

    @Override
    public List<Instance> claim(List<Instance> all) {
        List<Instance> mine = claimLeases(all);
        Set<InstanceId> now = new HashSet<>();
        mine.forEach(instance -> now.add(instance.id()));
        Set<InstanceId> gained = new HashSet<>(now);
        gained.removeAll(held);
        Set<InstanceId> lost = new HashSet<>(held);
        lost.removeAll(now);
        held.addAll(gained);
        held.removeAll(lost);
        if (!gained.isEmpty() || !lost.isEmpty()) {
            events.publishEvent(new SamplingOwnershipChanged(gained, lost));
        }
        return mine;
    }

    private List<Instance> claimLeases(List<Instance> all) {
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
            boolean mine = leases.claim(instance.id());
            if (mine && held.add(instance.id())) {
                events.publishEvent(new SamplingOwnershipChanged(Set.of(instance.id()), Set.of()));
            }
            return mine;
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
        held.remove(event.id());
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean alignTicks() {
        return true;
    }

    @Override
    public void release() {
        try {
            if (!held.isEmpty()) {
                events.publishEvent(new SamplingOwnershipChanged(Set.of(), Set.copyOf(held)));
                held.clear();
            }
            int released = leases.releaseAll();
            log.info("Replica {} released {} sampling leases", leases.owner(), released);
        }
        catch (DataAccessException ex) {
            log.warn("Could not release the sampling leases: {}", ex.getMessage());
        }
    }
}
