package io.memdoctor.incidents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.incidents.store.IncidentRepository;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.scans.ScanAlreadyRunningException;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotHistory;
import io.memdoctor.snapshots.SnapshotStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Captures an incident: everything the field guide's incident flow asks for, in one go (a fresh sample, the facts
 * Redis gives, the checks, the diagnosis, the history window and, if asked, a gentle keyspace scan whose results
 * {@link ScanAttacher} adds when it ends). On a cluster, the same of every node ({@link ClusterCapture}), and a
 * scan of every shard.
 */
@Service
public class IncidentCapture {

    /** Samples copied into an incident at most: raw when the window holds fewer, min/max buckets otherwise. */
    public static final int MAX_POINTS = 2000;
    /** The history window when none is given: the field guide's "what changed" usually fits in it. */
    static final int DEFAULT_WINDOW_HOURS = 6;
    /** The throttle of a capture's scan: gentle enough for a server that is already in trouble. */
    static final int SCAN_KEYS_PER_SECOND = 5_000;

    private static final Logger log = LoggerFactory.getLogger(IncidentCapture.class);

    private final InstanceService instances;
    private final FactCollector facts;
    private final Sampler sampler;
    private final CheckService checks;
    private final DiagnosisService diagnoses;
    private final SnapshotHistory history;
    private final ScanService scans;
    private final ScanAttacher attacher;
    private final IncidentRepository repository;
    private final ClusterCapture cluster;
    private final Clock clock;

    IncidentCapture(InstanceService instances, FactCollector facts, Sampler sampler, CheckService checks,
            DiagnosisService diagnoses, SnapshotHistory history, ScanService scans, ScanAttacher attacher,
            IncidentRepository repository, ClusterCapture cluster, Clock clock) {
        this.cluster = cluster;
        this.instances = instances;
        this.facts = facts;
        this.sampler = sampler;
        this.checks = checks;
        this.diagnoses = diagnoses;
        this.history = history;
        this.scans = scans;
        this.attacher = attacher;
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * Captures an incident now. Never fails on Redis' account: what Redis refuses is recorded as refused.
     *
     * @throws io.memdoctor.instances.InstanceNotFoundException for an unknown instance (404)
     */
    public Incident capture(String instanceId, CaptureRequest request) {
        Instance instance = instances.get(instanceId);
        // asked before the window is fixed, so that the fresh samples fall inside it
        List<ClusterCapture.Answer> answers = instance.isCluster() ? cluster.ask(instance) : null;
        String silence = instance.isCluster() ? null : sampleBefore(instance);
        Instant now = clock.instant();
        Instant to = now.plusMillis(1);
        Instant from = to.minus(Duration.ofHours(request.windowHours() == null ? DEFAULT_WINDOW_HOURS
                : request.windowHours()));
        Capture frozen = answers != null ? cluster.capture(instance, answers, from, to)
                : server(instance, silence, from, to);
        ScanAttachment scan = Boolean.TRUE.equals(request.scan()) ? startScan(instance) : null;
        Incident incident = new Incident(UUID.randomUUID().toString(), instance.id().value(), instance.name(),
                instance.url().redacted(), request.title(), request.note(), now, from, to, false, null,
                frozen.withScan(scan), List.of());
        repository.insert(incident);
        log.info("Captured incident {} on {}", incident.id(), instance.id());
        // a quick scan may have ended before the incident was stored, when nobody could attach it yet
        return scan != null && scan.pending() ? attacher.attachIfEnded(incident) : incident;
    }

    /** A fresh sample of a server; why Redis is known to be silent, {@code null} when it answered. */
    private String sampleBefore(Instance instance) {
        String silence = null;
        try {
            Snapshot before = sampler.sample(instance);
            if (before.status() == SnapshotStatus.UNREACHABLE) {
                // it has just waited a timeout for nothing: asking each fact would wait as long again
                silence = "the sample taken just before got no answer (" + before.error() + ")";
            }
        }
        catch (RuntimeException ex) {
            log.warn("Sample before the capture of {} failed: {}", instance.id(), ex.getClass().getSimpleName());
        }
        return silence;
    }

    /** A server's capture: its facts, checks, diagnosis and samples. */
    private Capture server(Instance instance, String silence, Instant from, Instant to) {
        String id = instance.id().value();
        Map<String, Fact> captured = facts.collect(instance, silence);
        List<CheckResult> checked = checks.check(id);
        Diagnosis diagnosis = diagnoses.diagnose(id, from, to);
        List<Map<String, Object>> samples = history.range(instance.id(), from, to, MAX_POINTS).points().stream()
                .map(Samples::of).toList();
        return new Capture(captured, checked, diagnosis, samples, null);
    }

    private ScanAttachment startScan(Instance instance) {
        ScanParameters parameters = ScanParameters.of(null, null, null, null, null, SCAN_KEYS_PER_SECOND, null);
        try {
            ScanView scan = scans.start(instance.id().value(), parameters);
            return new ScanAttachment(scan.id(), ScanAttachment.RUNNING, scan.startedAt(), null, null, null);
        }
        catch (ScanAlreadyRunningException running) {
            // the scan someone already started answers the same question: attach it
            return new ScanAttachment(running.runningScanId(), ScanAttachment.RUNNING, null, null, null, null);
        }
        catch (ErrorResponseException ex) {
            return new ScanAttachment(null, "NOT_STARTED", null, null, ex.getBody().getDetail(), null);
        }
    }
}
