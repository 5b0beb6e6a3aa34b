package io.memdoctor.scans;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.memdoctor.config.DaemonThreads;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.scans.engine.ScanAccumulator;
import io.memdoctor.scans.engine.ScanOutcome;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanRecord;
import io.memdoctor.scans.store.ScanRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts scans and knows which are running: each on its own thread, at most one per instance and
 * {@code memdoctor.scans.max-running} in all; {@link NodeScanner} scans the nodes and {@link ScanEndRecorder} stores
 * the end. Scans left RUNNING by a dashboard that stopped without recording them (a crash, a kill) are marked
 * INTERRUPTED when this starts; on an orderly stop, running scans are stopped and recorded as INTERRUPTED with what
 * they had found.
 */
@Component
class ScanRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScanRunner.class);
    static final String INTERRUPTED_REASON = "The dashboard stopped while this scan was running.";

    private final NodeScanner nodes;
    private final ScanEndRecorder ends;
    private final ScanRepository repository;
    private final ScanProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Map<InstanceId, RunningScan> byInstance = new ConcurrentHashMap<>();
    private final Map<String, RunningScan> byId = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor threads;
    private volatile boolean running;

    ScanRunner(NodeScanner nodes, ScanEndRecorder ends, ScanRepository repository, ScanProperties properties,
            Clock clock, ApplicationEventPublisher events, ObjectProvider<ScanReplica> replica) {
        this.nodes = nodes;
        this.ends = ends;
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
        this.events = events;
        // twice the limit: a scan leaves the registry just before its thread is back in the pool, and the registry,
        // not the pool, enforces max-running
        this.threads = new ThreadPoolExecutor(0, properties.maxRunning() * 2, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.numbered("scan-"));
        // alone, every RUNNING row was this process' before it stopped; with replicas, only those no replica beats for
        Instant now = clock.instant();
        boolean shared = replica.getIfAvailable(() -> ScanReplica.ALONE).shared();
        int interrupted = repository.interruptRunning(now, shared ? now.minus(ScanHeartbeat.STALE) : now,
                INTERRUPTED_REASON);
        if (interrupted > 0) {
            log.info("Marked {} scan(s) left running by the previous run as INTERRUPTED", interrupted);
        }
    }

    /**
     * Starts a scan of the instance on the nodes of the plan (one, or every shard of a cluster).
     *
     * @throws ScanAlreadyRunningException when the instance is being scanned
     * @throws ScanConflictException when the most scans allowed at once are running
     */
    synchronized RunningScan start(Instance instance, ScanParameters parameters, ScanTargets.Plan plan) {
        RunningScan existing = byInstance.get(instance.id());
        if (existing != null) {
            throw new ScanAlreadyRunningException(instance.id().value(), existing.record().id());
        }
        if (byId.size() >= properties.maxRunning()) {
            throw ScanConflictException.tooMany(byId.size());
        }
        if (!running) {
            throw ScanConflictException.shuttingDown();
        }
        List<RunningScan.Part> parts = plan.targets().stream()
                .map(target -> new RunningScan.Part(target, new ScanAccumulator(parameters, properties.maxPatterns()),
                        parameters.filtered()))
                .toList();
        ScanRecord record = ScanRecord.started(UUID.randomUUID().toString(), instance.id().value(), parameters,
                clock.instant(), plan.from().value(), plan.cluster(),
                parts.stream().map(p -> p.view(false)).toList());
        repository.insert(record);
        RunningScan scan = new RunningScan(record, instance, parts, properties.maxPatterns());
        byInstance.put(instance.id(), scan);
        byId.put(record.id(), scan);
        try {
            threads.execute(() -> run(scan));
        }
        catch (RejectedExecutionException ex) {
            parts.forEach(p -> p.ended(new ScanOutcome(ScanStatus.FAILED, "No thread was free to run the scan.")));
            finish(scan);
            throw ScanConflictException.tooMany(byId.size());
        }
        log.info("Scan {} of {} started on {} (match {}, type {}, count {}, samples {}, limit {} keys/s{})",
                record.id(), instance.id(), plan.targets().stream().map(ScanTarget::node).toList(),
                parameters.match(), parameters.type() == null ? "any" : parameters.type(), parameters.count(),
                parameters.samples(), parameters.maxKeysPerSecond() == null ? "none" : parameters.maxKeysPerSecond(),
                parts.size() > 1 ? " per node" : "");
        return scan;
    }

    /** The scans running on this dashboard now. */
    List<RunningScan> running() {
        return List.copyOf(byId.values());
    }

    Optional<RunningScan> find(String scanId) {
        return Optional.ofNullable(byId.get(scanId));
    }

    Optional<RunningScan> findByInstance(InstanceId instanceId) {
        return Optional.ofNullable(byInstance.get(instanceId));
    }

    private void run(RunningScan scan) {
        try {
            nodes.run(scan);
        }
        finally {
            finish(scan);
        }
    }

    /** Records the end (unless the instance is gone), then frees the instance for its next scan. */
    private void finish(RunningScan scan) {
        boolean removed = scan.stopReason() == RunningScan.StopReason.REMOVED;
        try {
            if (!removed) {
                ends.record(scan);
            }
        }
        finally {
            byInstance.remove(scan.instance().id(), scan);
            byId.remove(scan.record().id(), scan);
            scan.markEnded();
        }
        if (!removed) {
            events.publishEvent(new ScanEnded(scan.record().id(), scan.record().instanceId()));
        }
    }

    /**
     * Stops the running scan of an instance, if any, and returns it. A scan stopped because its instance is gone
     * leaves the registry at once: it is no longer shown, and a new instance of the same name may be scanned.
     */
    Optional<RunningScan> stop(InstanceId instanceId, RunningScan.StopReason reason) {
        RunningScan scan = byInstance.get(instanceId);
        if (scan != null) {
            scan.stop(reason);
            if (reason == RunningScan.StopReason.REMOVED) {
                byInstance.remove(instanceId, scan);
                byId.remove(scan.record().id(), scan);
            }
        }
        return Optional.ofNullable(scan);
    }

    @Override
    public void start() {
        running = true;
    }

    /** Stops every running scan and gives them {@code shutdown-grace} to record what they found. */
    @Override
    public void stop() {
        running = false;
        List<RunningScan> scans = List.copyOf(byId.values());
        scans.forEach(scan -> scan.stop(RunningScan.StopReason.SHUTDOWN));
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        for (RunningScan scan : scans) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (!scan.awaitEnd(left)) {
                log.warn("Scan {} did not stop in time; it will be marked INTERRUPTED at the next start",
                        scan.record().id());
            }
        }
        threads.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Its pool does not survive {@link #stop()}: a paused (cached test) context would come back unable to scan. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
