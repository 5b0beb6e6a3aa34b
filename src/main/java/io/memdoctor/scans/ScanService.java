package io.memdoctor.scans;

import java.util.List;
import java.util.regex.Pattern;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanRecord;
import io.memdoctor.scans.store.ScanRepository;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Keyspace scans: start one, follow it, cancel it, list and compare past ones. The API and the pages both call
 * this; the work happens in {@link ScanRunner} and the engine.
 */
@Service
public class ScanService {

    /** Scans listed per instance. */
    static final int LIST_LIMIT = 100;
    /** How long a cancel waits for the batches in flight to be added up before answering. */
    private static final long CANCEL_WAIT_MILLIS = 10_000;
    private static final Pattern SCAN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final InstanceService instances;
    private final ScanRunner runner;
    private final ScanRepository repository;
    private final ScanTargets targets;

    ScanService(InstanceService instances, ScanRunner runner, ScanRepository repository, ScanTargets targets) {
        this.instances = instances;
        this.runner = runner;
        this.repository = repository;
        this.targets = targets;
    }

    /**
     * Starts a scan and returns at once.
     *
     * @throws io.memdoctor.instances.InstanceNotFoundException for an unknown instance (404)
     * @throws ScanAlreadyRunningException when the instance is being scanned (409)
     * @throws ScanConflictException when too many scans run (409)
     */
    public ScanView start(String instanceId, ScanParameters parameters) {
        return start(instanceId, parameters, null);
    }

    /**
     * Starts a scan on the primary or on a replica ({@code null}: the primary) and returns at once. A cluster is
     * scanned on every shard at once: its primaries, or a replica of each (with READONLY) where it has one.
     *
     * @throws ScanConflictException also when a replica is asked for and none is online (409)
     */
    public ScanView start(String instanceId, ScanParameters parameters, ScanSource from) {
        Instance instance = instances.get(instanceId);
        return runner.start(instance, parameters, targets.plan(instance, from)).view();
    }

    /** Whether a scan of the instance can run on a replica (the form then offers it first). */
    public boolean replicaAvailable(String instanceId) {
        return targets.replicaAvailable(instances.get(instanceId));
    }

    /** Whether the instance is a cluster (a scan of it runs on every shard). */
    public boolean isCluster(String instanceId) {
        return targets.isCluster(instances.get(instanceId));
    }

    /** The replicas INFO replication lists for an instance (none when it is unreachable). */
    public List<Replica> replicas(String instanceId) {
        Instance instance = instances.get(instanceId);
        return targets.replicas(instance).replicas().stream()
                .map(r -> new Replica(r.address(), r.state(), r.online(), r.lagSeconds(), r.offset())).toList();
    }

    /**
     * A replica of an instance.
     *
     * @param address {@code host:port} as the replica announced it
     * @param state {@code online}, {@code wait_bgsave}...
     * @param online whether a scan can run on it
     * @param lagSeconds seconds since it last acknowledged, -1 when unknown
     * @param offset replication offset it acknowledged, -1 when unknown
     */
    public record Replica(String address, String state, boolean online, long lagSeconds, long offset) {
    }

    /** A scan: live progress while it runs, its results once ended. */
    public ScanView get(String scanId) {
        return runner.find(validId(scanId)).map(RunningScan::view)
                .orElseGet(() -> ScanView.of(record(scanId)));
    }

    /**
     * Cancels a running scan and waits (briefly) until what it found is recorded.
     *
     * @throws ScanConflictException when the scan has already ended (409)
     */
    public ScanView cancel(String scanId) {
        RunningScan scan = runner.find(validId(scanId)).orElse(null);
        if (scan == null) {
            ScanRecord stored = record(scanId);
            if (stored.status() == ScanStatus.RUNNING && repository.requestCancel(scanId).isPresent()) {
                // another replica runs it: it stops at its next heartbeat, a couple of seconds from now
                return ScanView.of(record(scanId));
            }
            throw ScanConflictException.ended(scanId, stored.status().name());
        }
        scan.stop(RunningScan.StopReason.CANCELLED);
        scan.awaitEnd(CANCEL_WAIT_MILLIS);
        return get(scanId);
    }

    /** The newest scans of an instance (without their results), the running one with live progress. */
    public List<ScanView> list(String instanceId) {
        Instance instance = instances.get(instanceId);
        RunningScan running = runner.findByInstance(instance.id()).orElse(null);
        return repository.findByInstance(instance.id().value(), LIST_LIMIT).stream()
                .map(scan -> running != null && running.record().id().equals(scan.id()) ? running.view()
                        : ScanView.of(scan))
                .toList();
    }

    /** The running scan of an instance, if any. */
    public java.util.Optional<ScanView> running(String instanceId) {
        Instance instance = instances.get(instanceId);
        return runner.findByInstance(instance.id()).map(RunningScan::view);
    }

    /**
     * What grew and shrank from one scan to another.
     *
     * @throws ScanConflictException when either has no results (still running, or interrupted early)
     */
    public ScanComparison compare(String baseId, String otherId) {
        ScanRecord base = withResults(baseId);
        ScanRecord other = withResults(otherId);
        return ScanComparer.compare(base, other);
    }

    private ScanRecord withResults(String scanId) {
        ScanRecord scan = record(scanId);
        if (scan.results() == null || !scan.status().ended()) {
            throw ScanConflictException.noResults(scanId, scan.status().name());
        }
        return scan;
    }

    /** An instance is gone: its running scan stops without a trace, and its stored scans go too. */
    @EventListener
    void onInstanceRemoved(InstanceRemoved event) {
        runner.stop(event.id(), RunningScan.StopReason.REMOVED);
        repository.deleteByInstance(event.id().value());
    }

    private ScanRecord record(String scanId) {
        return repository.find(validId(scanId)).orElseThrow(() -> new ScanNotFoundException(scanId));
    }

    private static String validId(String scanId) {
        if (scanId == null || !SCAN_ID.matcher(scanId).matches()) {
            throw new ScanNotFoundException(scanId);
        }
        return scanId;
    }
}
