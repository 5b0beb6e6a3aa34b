package io.memdoctor.scans;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.redis.resp.RespConnection;
import io.memdoctor.scans.engine.KeyspaceScanner;
import io.memdoctor.scans.engine.ScanAccumulator;
import io.memdoctor.scans.engine.ScanOutcome;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanPart;
import io.memdoctor.scans.store.ScanRecord;
import io.memdoctor.scans.store.ScanRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs scans, each on its own thread and its own Redis connection, at most one per instance and
 * {@code memdoctor.scans.max-running} in all, and records each one's end. Scans left RUNNING by a dashboard that
 * stopped without recording them (a crash, a kill) are marked INTERRUPTED when this starts; on an orderly stop,
 * running scans are stopped and recorded as INTERRUPTED with what they had found.
 */
@Component
class ScanRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScanRunner.class);
    static final String INTERRUPTED_REASON = "The dashboard stopped while this scan was running.";

    private final ScanConnections connections;
    private final ScanRepository repository;
    private final ScanProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Map<InstanceId, RunningScan> byInstance = new ConcurrentHashMap<>();
    private final Map<String, RunningScan> byId = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor threads;
    private volatile boolean running;

    ScanRunner(ScanConnections connections, ScanRepository repository, ScanProperties properties, Clock clock,
            ApplicationEventPublisher events, ObjectProvider<ScanReplica> replica) {
        this.connections = connections;
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
        this.events = events;
        AtomicInteger count = new AtomicInteger();
        // twice the limit: a scan leaves the registry just before its thread is back in the pool, and the registry,
        // not the pool, enforces max-running
        this.threads = new ThreadPoolExecutor(0, properties.maxRunning() * 2, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "scan-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
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

    /** Runs every part (in parallel, at most {@code nodes-in-parallel} at once), then records the end. */
    private void run(RunningScan scan) {
        if (properties.lowCpuPriority()) {
            LowCpuPriority.applyToCurrentThread();
        }
        try {
            List<RunningScan.Part> parts = scan.parts();
            if (parts.size() == 1) {
                runPart(scan, parts.get(0));
            }
            else {
                runParallel(scan, parts);
            }
        }
        catch (Error ex) {
            failUnended(scan, "The scan stopped: " + ex);
            finish(scan);
            throw ex;
        }
        catch (RuntimeException ex) {
            failUnended(scan, "The scan stopped: " + ex);
        }
        finish(scan);
    }

    private void runParallel(RunningScan scan, List<RunningScan.Part> parts) {
        AtomicInteger count = new AtomicInteger();
        String name = Thread.currentThread().getName();
        ExecutorService nodes = Executors.newFixedThreadPool(Math.min(parts.size(), properties.nodesInParallel()),
                task -> {
                    Thread thread = new Thread(task, name + "-node-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (RunningScan.Part part : parts) {
                running.add(nodes.submit(() -> {
                    if (properties.lowCpuPriority()) {
                        LowCpuPriority.applyToCurrentThread();
                    }
                    runPart(scan, part);
                }));
            }
            for (Future<?> node : running) {
                node.get();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            scan.stop(RunningScan.StopReason.SHUTDOWN);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(ex.getCause());
        }
        finally {
            nodes.shutdownNow();
        }
    }

    /** One node, on the calling thread: its outcome goes into the part, whatever happens. */
    private void runPart(RunningScan scan, RunningScan.Part part) {
        ScanOutcome outcome;
        try (RespConnection connection = connections.open(part.target())) {
            outcome = new KeyspaceScanner(connection, scan.record().parameters(), part.accumulator(),
                    part.progress(), properties.timeout(), properties.batchesInFlight()).run(scan::stopRequested);
        }
        catch (RedisFailure failure) {
            // connecting failed (the scanner itself reports failures as an outcome)
            outcome = new ScanOutcome(ScanStatus.FAILED, "Could not connect to Redis: " + failure.reason());
        }
        catch (RuntimeException ex) {
            outcome = new ScanOutcome(ScanStatus.FAILED, "The scan stopped: " + ex);
        }
        catch (Error ex) {
            part.ended(new ScanOutcome(ScanStatus.FAILED, "The scan stopped: " + ex));
            throw ex;
        }
        part.ended(outcome);
    }

    private static void failUnended(RunningScan scan, String error) {
        scan.parts().stream().filter(p -> p.outcome() == null)
                .forEach(p -> p.ended(new ScanOutcome(ScanStatus.FAILED, error)));
    }

    /**
     * How the whole scan ended: as its one node did; for several nodes, FAILED when one failed (naming it; the
     * others' results are kept), else CANCELLED when one was stopped, else DONE.
     */
    static ScanOutcome outcome(List<RunningScan.Part> parts) {
        if (parts.size() == 1) {
            ScanOutcome only = parts.get(0).outcome();
            return only != null ? only : new ScanOutcome(ScanStatus.FAILED, "The scan stopped.");
        }
        List<String> failed = new ArrayList<>();
        boolean cancelled = false;
        for (RunningScan.Part part : parts) {
            ScanOutcome how = part.outcome();
            if (how == null || how.status() == ScanStatus.FAILED) {
                failed.add(part.target().node() + " (" + part.target().role() + ") failed: "
                        + (how == null ? "it did not end" : how.error()));
            }
            cancelled |= how != null && how.status() == ScanStatus.CANCELLED;
        }
        if (!failed.isEmpty()) {
            return new ScanOutcome(ScanStatus.FAILED, failed.size() + " of " + parts.size() + " nodes failed; the"
                    + " results of the others are kept. " + String.join("; ", failed));
        }
        return new ScanOutcome(cancelled ? ScanStatus.CANCELLED : ScanStatus.DONE, null);
    }

    private void finish(RunningScan scan) {
        ScanRecord record = scan.record();
        try {
            if (scan.stopReason() == RunningScan.StopReason.REMOVED) {
                return;
            }
            ScanOutcome outcome = outcome(scan.parts());
            ScanStatus status = outcome.status();
            String error = outcome.error();
            if (status == ScanStatus.CANCELLED && scan.stopReason() == RunningScan.StopReason.SHUTDOWN) {
                status = ScanStatus.INTERRUPTED;
                error = INTERRUPTED_REASON;
            }
            ScanProgress.Snapshot progress = scan.progress();
            ScanResults results = scan.results();
            Instant endedAt = clock.instant();
            long elapsed = Math.round(progress.elapsedSeconds() * 1000);
            List<ScanPart> parts = scan.parts().stream().map(p -> {
                ScanPart part = p.view(true);
                return new ScanPart(part.node(), part.role(), part.primary(), part.status(), part.keysTotal(),
                        part.keysScanned(), part.elapsedMillis(), scrub(part.error(), scan.instance()), part.keys(),
                        part.bytes());
            }).toList();
            repository.finish(record.ended(status, endedAt, progress.keysTotal(), progress.keysScanned(), elapsed,
                    scrub(error, scan.instance()), results, parts));
            repository.trim(record.instanceId(), properties.keepPerInstance());
            log.info("Scan {} of {} ended {}: {} keys in {} s{}", record.id(), record.instanceId(), status,
                    progress.keysScanned(), Duration.ofMillis(elapsed).toSeconds(),
                    error == null ? "" : " (" + scrub(error, scan.instance()) + ")");
        }
        catch (RuntimeException ex) {
            // the store going away during shutdown: the next start marks the row INTERRUPTED
            log.warn("Could not record the end of scan {}: {}", record.id(), ex.getMessage());
        }
        finally {
            byInstance.remove(scan.instance().id(), scan);
            byId.remove(record.id(), scan);
            scan.markEnded();
        }
        if (scan.stopReason() != RunningScan.StopReason.REMOVED) {
            events.publishEvent(new ScanEnded(record.id(), record.instanceId()));
        }
    }

    /** Error texts come from Redis and the driver: no password, no control character that could forge a log line. */
    static String scrub(String text, Instance instance) {
        return RedisGateway.scrub(text, instance);
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
