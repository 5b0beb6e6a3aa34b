package io.memdoctor.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceAdded;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.redis.ConcurrencyLimit;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Samples instances asynchronously: each sample is a chain of Lettuce completions (connect, INFO and DBSIZE), so
 * a thousand instances need no thread each, and one slow or dead Redis never delays the others. At most
 * {@code memdoctor.sampling.max-in-flight} run at once ({@link ConcurrencyLimit}: the rest wait their turn, none
 * fails for it); an instance that keeps failing is retried less often ({@link Backoff}); results are stored in
 * batches ({@link SampleWriter}). An instance whose previous sample is still running is not sampled twice; if that
 * sample has not returned for longer than twice the timeout, an {@code UNREACHABLE} sample records the gap.
 */
@Service
public class Sampler {

    private final InstanceService instances;
    private final SnapshotCollector collector;
    private final SampleWriter writer;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration timeout;
    private final ConcurrencyLimit throttle;
    private final Backoff backoff;
    /* asked at each addition: with replicas, the lease of a new instance decides who takes its first sample */
    private final ObjectProvider<SamplingOwnership> ownership;
    /* when each running sample started; QUEUED while it waits for its turn */
    private final Map<InstanceId, Instant> inFlight = new ConcurrentHashMap<>();
    private static final Instant QUEUED = Instant.MIN;

    Sampler(InstanceService instances, SnapshotCollector collector, SampleWriter writer, MeterRegistry meters,
            Clock clock, MemDoctorProperties properties, ObjectProvider<SamplingOwnership> ownership) {
        this.instances = instances;
        this.ownership = ownership;
        this.collector = collector;
        this.writer = writer;
        this.meters = meters;
        this.clock = clock;
        MemDoctorProperties.Sampling settings = properties.sampling();
        this.timeout = settings.timeout();
        this.throttle = new ConcurrencyLimit(settings.maxInFlight());
        this.backoff = new Backoff(settings.interval(), settings.maxBackoff());
        meters.gauge("memdoctor.sampler.in.flight", inFlight, Map::size);
        meters.gauge("memdoctor.sampler.waiting", throttle, ConcurrencyLimit::waiting);
    }

    /** Starts a sample of every instance that is due and returns at once. */
    public void sampleAll() {
        sampleAll(all -> all);
    }

    /** Starts a sample of the instances {@code mine} picks (replicas share the work) that are due, and returns. */
    public void sampleAll(UnaryOperator<List<Instance>> mine) {
        // a cluster is not sampled: its nodes are, as instances of their own
        List<Instance> all = instances.findAll().stream().filter(Instance::sampled).toList();
        backoff.retain(all.stream().map(Instance::id).collect(Collectors.toSet()));
        Instant now = clock.instant();
        mine.apply(all).stream().filter(instance -> backoff.due(instance.id(), now))
                .forEach(this::sampleInBackground);
    }

    /**
     * A new instance gets its first sample at once, after its addition commits: sampled earlier, a sample that
     * ended before the commit (a refused port ends in a millisecond) found no instance and was dropped. With
     * replicas, only under the lease this replica takes for it ({@link SamplingOwnership#claimNew}): without it, the
     * replica holding the lease at the next tick sampled the instance a second time in the same interval.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onAdded(InstanceAdded event) {
        Instance added = event.instance();
        if (added.sampled() && ownership.getIfAvailable(() -> SamplingOwnership.EVERYTHING).claimNew(added)) {
            sampleInBackground(added);
        }
    }

    private void sampleInBackground(Instance instance) {
        Instant started = inFlight.putIfAbsent(instance.id(), QUEUED);
        if (started != null) {
            // still waiting for its turn is the dashboard's backlog, not the instance's fault: no gap is recorded
            if (started != QUEUED) {
                recordStuck(instance, started);
            }
            return;
        }
        Timer.Sample timing = Timer.start(meters);
        throttle.submit(() -> {
            inFlight.put(instance.id(), clock.instant());
            return collector.collect(instance);
        }).whenComplete((collected, failed) -> {
            inFlight.remove(instance.id());
            if (collected != null) {
                // one timer for the fleet, not one per instance (as before the async sampler): a timer is three
                // Prometheus series (count, sum, max), so 1,000 instances made 3,000 series whose per-instance
                // answer the history already holds (each sample's time, redis_up)
                timing.stop(meters.timer("memdoctor.sampler.duration"));
                backoff.record(instance.id(), collected.snapshot().isOk(), clock.instant());
                writer.add(collected);
            }
        });
    }

    /** Samples one instance now (whatever its backoff), waits for it, stores the result and returns it. */
    public Snapshot sample(Instance instance) {
        SnapshotCollector.Collected collected = collector.collect(instance).toCompletableFuture().join();
        backoff.record(instance.id(), collected.snapshot().isOk(), clock.instant());
        writer.storeNow(collected);
        return collected.snapshot();
    }

    private void recordStuck(Instance instance, Instant started) {
        Duration running = Duration.between(started, clock.instant());
        if (running.compareTo(timeout.multipliedBy(2)) > 0) {
            writer.add(new SnapshotCollector.Collected(Snapshot.failed(instance.id(), clock.instant(),
                    SnapshotStatus.UNREACHABLE, "previous sample has not returned for " + running.toSeconds() + " s"),
                    null));
        }
    }

    /** How many samples are running now (or waiting for their turn). */
    public int inFlight() {
        return inFlight.size();
    }

    /** Failures in a row of an instance since its last successful sample (0 when it succeeded). */
    public int failuresInARow(InstanceId id) {
        return backoff.failures(id);
    }
}
