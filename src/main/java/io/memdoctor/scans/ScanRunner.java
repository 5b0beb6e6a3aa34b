package io.memdoctor.scans;

import java.time.Clock;
import java.time.Duration;
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
import io.memdoctor.scans.store.ScanRecord;
import io.memdoctor.scans.store.ScanRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
            ApplicationEventPublisher events) {
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
        int interrupted = repository.interruptRunning(clock.instant(), INTERRUPTED_REASON);
        if (interrupted > 0) {
            log.info("Marked {} scan(s) left running by the previous run as INTERRUPTED", interrupted);
        }
    }

    /**
     * Starts a scan of the instance.
     *
     * @throws ScanAlreadyRunningException when the instance is being scanned
     * @throws ScanConflictException when the most scans allowed at once are running
     */
    synchronized RunningScan start(Instance instance, ScanParameters parameters) {
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
        ScanRecord record = ScanRecord.started(UUID.randomUUID().toString(), instance.id().value(), parameters,
                clock.instant());
        repository.insert(record);
        RunningScan scan = new RunningScan(record, instance,
                new ScanAccumulator(parameters, properties.maxPatterns()));
        byInstance.put(instance.id(), scan);
        byId.put(record.id(), scan);
        try {
            threads.execute(() -> run(scan));
        }
        catch (RejectedExecutionException ex) {
            finish(scan, new ScanOutcome(ScanStatus.FAILED, "No thread was free to run the scan."));
            throw ScanConflictException.tooMany(byId.size());
        }
        log.info("Scan {} of {} started (match {}, type {}, count {}, samples {}, limit {} keys/s)", record.id(),
                instance.id(), parameters.match(), parameters.type() == null ? "any" : parameters.type(),
                parameters.count(), parameters.samples(),
                parameters.maxKeysPerSecond() == null ? "none" : parameters.maxKeysPerSecond());
        return scan;
    }

    Optional<RunningScan> find(String scanId) {
        return Optional.ofNullable(byId.get(scanId));
    }

    Optional<RunningScan> findByInstance(InstanceId instanceId) {
        return Optional.ofNullable(byInstance.get(instanceId));
    }

    private void run(RunningScan scan) {
        if (properties.lowCpuPriority()) {
            LowCpuPriority.applyToCurrentThread();
        }
        ScanRecord record = scan.record();
        ScanOutcome outcome;
        try (RespConnection connection = connections.open(scan.instance())) {
            outcome = new KeyspaceScanner(connection, record.parameters(), scan.accumulator(), scan.progress(),
                    properties.timeout(), properties.batchesInFlight()).run(scan::stopRequested);
        }
        catch (RedisFailure failure) {
            // connecting failed (the scanner itself reports failures as an outcome)
            outcome = new ScanOutcome(ScanStatus.FAILED, "Could not connect to Redis: " + failure.reason());
        }
        catch (RuntimeException ex) {
            outcome = new ScanOutcome(ScanStatus.FAILED, "The scan stopped: " + ex);
        }
        catch (Error ex) {
            outcome = new ScanOutcome(ScanStatus.FAILED, "The scan stopped: " + ex);
            finish(scan, outcome);
            throw ex;
        }
        finish(scan, outcome);
    }

    private void finish(RunningScan scan, ScanOutcome outcome) {
        ScanRecord record = scan.record();
        try {
            if (scan.stopReason() == RunningScan.StopReason.REMOVED) {
                return;
            }
            ScanStatus status = outcome.status();
            String error = outcome.error();
            if (status == ScanStatus.CANCELLED && scan.stopReason() == RunningScan.StopReason.SHUTDOWN) {
                status = ScanStatus.INTERRUPTED;
                error = INTERRUPTED_REASON;
            }
            ScanProgress.Snapshot progress = scan.progress().snapshot();
            ScanResults results = scan.accumulator().results();
            Instant endedAt = clock.instant();
            long elapsed = Math.round(progress.elapsedSeconds() * 1000);
            repository.finish(new ScanRecord(record.id(), record.instanceId(), status, record.parameters(),
                    record.startedAt(), endedAt, progress.keysTotal(), progress.keysScanned(), elapsed,
                    scrub(error, scan.instance()), results, results.keys(), results.bytes()));
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
