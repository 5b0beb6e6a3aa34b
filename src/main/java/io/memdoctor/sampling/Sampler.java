package io.memdoctor.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceAdded;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Samples every instance in parallel, each on its own worker, so one slow or dead Redis never delays the others.
 * An instance whose previous sample is still running is not sampled twice; if that sample has hung for longer
 * than twice the timeout, an {@code UNREACHABLE} sample records the gap.
 */
@Service
public class Sampler {

    private static final Logger log = LoggerFactory.getLogger(Sampler.class);
    private static final int MAX_WORKERS = 64;

    private final InstanceService instances;
    private final SnapshotCollector collector;
    private final SnapshotRepository repository;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Duration timeout;
    private final Map<InstanceId, Instant> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor workers;

    Sampler(InstanceService instances, SnapshotCollector collector, SnapshotRepository repository,
            MeterRegistry meters, Clock clock, MemDoctorProperties properties, ApplicationEventPublisher events) {
        this.instances = instances;
        this.collector = collector;
        this.repository = repository;
        this.meters = meters;
        this.clock = clock;
        this.events = events;
        this.timeout = properties.sampling().timeout();
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, MAX_WORKERS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "sampler-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        meters.gauge("memdoctor.sampler.in.flight", inFlight, Map::size);
    }

    /** Starts a sample of every instance and returns at once. */
    public void sampleAll() {
        sampleAll(all -> all);
    }

    /** Starts a sample of the instances {@code mine} picks (replicas share the work) and returns at once. */
    public void sampleAll(UnaryOperator<List<Instance>> mine) {
        // a cluster is not sampled: its nodes are, as instances of their own
        mine.apply(instances.findAll().stream().filter(Instance::sampled).toList()).forEach(this::sampleInBackground);
    }

    /** A new instance gets its first sample at once. */
    @EventListener
    void onAdded(InstanceAdded event) {
        if (event.instance().sampled()) {
            sampleInBackground(event.instance());
        }
    }

    private void sampleInBackground(Instance instance) {
        Instant started = inFlight.putIfAbsent(instance.id(), clock.instant());
        if (started != null) {
            recordStuck(instance, started);
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    sample(instance);
                }
                finally {
                    inFlight.remove(instance.id());
                }
            });
        }
        catch (RejectedExecutionException ex) {
            inFlight.remove(instance.id());
            store(Snapshot.failed(instance.id(), clock.instant(), SnapshotStatus.ERROR,
                    "sampler saturated: more than " + MAX_WORKERS + " samples running"), null);
        }
    }

    /** Samples one instance now, on the caller's thread, and stores the result. */
    public Snapshot sample(Instance instance) {
        Timer.Sample timing = Timer.start(meters);
        SnapshotCollector.Collected collected = collector.collect(instance);
        timing.stop(meters.timer("memdoctor.sampler.duration", "instance", instance.id().value()));
        store(collected.snapshot(), collected.infoText());
        return collected.snapshot();
    }

    private void recordStuck(Instance instance, Instant started) {
        Duration running = Duration.between(started, clock.instant());
        if (running.compareTo(timeout.multipliedBy(2)) > 0) {
            store(Snapshot.failed(instance.id(), clock.instant(), SnapshotStatus.UNREACHABLE,
                    "previous sample has not returned for " + running.toSeconds() + " s"), null);
        }
    }

    private void store(Snapshot snapshot, String infoText) {
        meters.counter("memdoctor.sampler.samples", "instance", snapshot.instanceId().value(), "status",
                snapshot.status().name()).increment();
        if (instances.find(snapshot.instanceId()).isEmpty()) {
            // removed while this sample ran (its removal closes the connection, which ends the sample at once):
            // storing it would leave a row nothing shows and nothing cleans up
            log.debug("Dropped the sample of removed instance {}", snapshot.instanceId());
            return;
        }
        try {
            repository.save(snapshot);
            if (infoText != null) {
                repository.saveInfoText(snapshot.instanceId(), snapshot.timestamp(), infoText);
            }
            events.publishEvent(new SnapshotStored(snapshot));
        }
        catch (RuntimeException ex) {
            // an instance removed while its sample ran, or a store that is shutting down: nothing to keep
            log.debug("Could not store sample of {}: {}", snapshot.instanceId(), ex.getMessage());
        }
        if (!snapshot.isOk()) {
            log.debug("Sample of {} failed: {}", snapshot.instanceId(), snapshot.error());
        }
    }

    /** How many samples are running now. */
    public int inFlight() {
        return inFlight.size();
    }

    @PreDestroy
    void shutdown() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }
}
