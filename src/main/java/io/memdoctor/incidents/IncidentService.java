package io.memdoctor.incidents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.incidents.store.IncidentRepository;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.scans.ScanAlreadyRunningException;
import io.memdoctor.scans.ScanNotFoundException;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotHistory;
import io.memdoctor.snapshots.SnapshotStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;

/**
 * Incidents: capture one (everything the field guide's incident flow asks for, in one go), read it, add notes to
 * its timeline, import another dashboard's export. The API and the pages both call this.
 */
@Service
public class IncidentService {

    /** Samples copied into an incident at most: raw when the window holds fewer, min/max buckets otherwise. */
    public static final int MAX_POINTS = 2000;
    /** The history window when none is given: the field guide's "what changed" usually fits in it. */
    static final int DEFAULT_WINDOW_HOURS = 6;
    static final int MAX_WINDOW_HOURS = 7 * 24;
    /** The throttle of a capture's scan: gentle enough for a server that is already in trouble. */
    static final int SCAN_KEYS_PER_SECOND = 5_000;
    static final int MAX_TITLE = 200;
    static final int MAX_NOTE = 4000;
    static final int MAX_NOTE_TEXT = 2000;
    static final int MAX_AUTHOR = 100;
    static final int MAX_NOTES = 500;
    static final int LIST_LIMIT = 200;

    private static final Logger log = LoggerFactory.getLogger(IncidentService.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final InstanceService instances;
    private final FactCollector facts;
    private final Sampler sampler;
    private final CheckService checks;
    private final DiagnosisService diagnoses;
    private final SnapshotHistory history;
    private final ScanService scans;
    private final IncidentRepository repository;
    private final Clock clock;

    IncidentService(InstanceService instances, FactCollector facts, Sampler sampler, CheckService checks,
            DiagnosisService diagnoses, SnapshotHistory history, ScanService scans, IncidentRepository repository,
            Clock clock) {
        this.instances = instances;
        this.facts = facts;
        this.sampler = sampler;
        this.checks = checks;
        this.diagnoses = diagnoses;
        this.history = history;
        this.scans = scans;
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * What to capture.
     *
     * @param title one line, required
     * @param note what is known so far, optional
     * @param scan whether to start a throttled keyspace scan and attach its result
     * @param windowHours hours of history before the capture, {@code null} for 6
     */
    public record CaptureRequest(String title, String note, Boolean scan, Integer windowHours) {

        public CaptureRequest {
            scan = Boolean.TRUE.equals(scan);
            title = text("title", title, MAX_TITLE, true);
            note = text("note", note, MAX_NOTE, false);
            if (windowHours != null && (windowHours < 1 || windowHours > MAX_WINDOW_HOURS)) {
                throw new IllegalArgumentException("windowHours must be between 1 and " + MAX_WINDOW_HOURS);
            }
        }
    }

    /**
     * Captures an incident now. Never fails on Redis' account: what Redis refuses is recorded as refused.
     *
     * @throws io.memdoctor.instances.InstanceNotFoundException for an unknown instance (404)
     */
    public Incident capture(String instanceId, CaptureRequest request) {
        Instance instance = instances.get(instanceId);
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
        Instant now = clock.instant();
        Instant to = now.plusMillis(1);
        Instant from = to.minus(Duration.ofHours(request.windowHours() == null ? DEFAULT_WINDOW_HOURS
                : request.windowHours()));
        Map<String, Fact> captured = facts.collect(instance, silence);
        List<CheckResult> checked = checks.check(instanceId);
        Diagnosis diagnosis = diagnoses.diagnose(instanceId, from, to);
        List<Map<String, Object>> samples = history.range(instance.id(), from, to, MAX_POINTS).points().stream()
                .map(Samples::of).toList();
        ScanAttachment scan = Boolean.TRUE.equals(request.scan()) ? startScan(instance) : null;
        Incident incident = new Incident(UUID.randomUUID().toString(), instance.id().value(), instance.name(),
                instance.url().redacted(), request.title(), request.note(), now, from, to, false, null,
                new Capture(captured, checked, diagnosis, samples, scan), List.of());
        repository.insert(incident);
        log.info("Captured incident {} on {}", incident.id(), instance.id());
        return incident;
    }

    private ScanAttachment startScan(Instance instance) {
        ScanParameters parameters = ScanParameters.of(null, null, null, null, null, SCAN_KEYS_PER_SECOND, null);
        try {
            ScanView scan = scans.start(instance.id().value(), parameters);
            return new ScanAttachment(scan.id(), scan.status().name(), scan.startedAt(), null, null, null);
        }
        catch (ScanAlreadyRunningException running) {
            // the scan someone already started answers the same question: attach it
            return new ScanAttachment(running.runningScanId(), "RUNNING", null, null, null, null);
        }
        catch (ErrorResponseException ex) {
            return new ScanAttachment(null, "NOT_STARTED", null, null, ex.getBody().getDetail(), null);
        }
    }

    /** An incident with its notes; a scan that has ended since is attached now. */
    public Incident get(String id) {
        Incident incident = repository.find(validId(id)).orElseThrow(() -> new IncidentNotFoundException(id));
        ScanAttachment scan = incident.capture().scan();
        if (scan == null || !scan.pending() || incident.imported()) {
            return incident;
        }
        ScanAttachment now;
        try {
            ScanView view = scans.get(scan.scanId());
            if (view.running()) {
                return incident;
            }
            now = new ScanAttachment(view.id(), view.status().name(), view.startedAt(), view.endedAt(), view.error(),
                    view.results());
        }
        catch (ScanNotFoundException gone) {
            now = new ScanAttachment(scan.scanId(), "GONE", scan.startedAt(), null,
                    "the scan was deleted before it could be attached", null);
        }
        Capture attached = incident.capture().withScan(now);
        repository.updateCapture(incident.id(), attached);
        return incident.withCapture(attached);
    }

    /** The newest incidents, newest first. */
    public List<IncidentRepository.Listed> list() {
        return repository.list(LIST_LIMIT);
    }

    /**
     * Adds a note to the timeline.
     *
     * @param at when it happened: blank for now, {@code 14:02}, or ISO (see {@link NoteTime})
     * @param zone the writer's time zone for a bare time, UTC when blank
     * @throws IllegalArgumentException for an empty or too long text, or a time that cannot be read (400)
     * @throws IncidentReadOnlyException for an imported incident (409)
     */
    @Transactional
    public IncidentNote addNote(String id, String at, String zone, String author, String text) {
        Incident incident = repository.find(validId(id)).orElseThrow(() -> new IncidentNotFoundException(id));
        if (incident.imported()) {
            throw new IncidentReadOnlyException(id);
        }
        IncidentNote note = new IncidentNote(NoteTime.parse(at, zone, incident.capturedAt(), clock.instant()),
                text("author", author, MAX_AUTHOR, false), text("text", text, MAX_NOTE_TEXT, true));
        if (repository.countNotes(incident.id()) >= MAX_NOTES) {
            throw new IllegalArgumentException("an incident keeps at most " + MAX_NOTES + " notes");
        }
        repository.addNote(incident.id(), note, clock.instant());
        return note;
    }

    /**
     * Stores a validated import as a new, read-only incident: all of it or nothing.
     *
     * @param source where it came from, shown on the page
     */
    @Transactional
    public Incident importIncident(Incident exported, String source) {
        List<IncidentNote> notes = new ArrayList<>(exported.notes());
        Incident copy = new Incident(UUID.randomUUID().toString(), exported.instanceId(), exported.instanceName(),
                exported.instanceUrl(), exported.title(), exported.note(), exported.capturedAt(),
                exported.windowFrom(), exported.windowTo(), true, source, exported.capture(), notes);
        repository.insert(copy);
        log.info("Imported incident {} ({})", copy.id(), source);
        return copy;
    }

    /**
     * Deletes an incident with its notes (a capture taken by mistake, a drill). Files already exported are not
     * touched; a scan the capture started goes on and stays in the instance's scan history.
     *
     * @throws IncidentNotFoundException when there is no such incident (404)
     */
    @Transactional
    public void delete(String id) {
        if (!repository.delete(validId(id))) {
            throw new IncidentNotFoundException(id);
        }
        log.info("Deleted incident {}", id);
    }

    public long count() {
        return repository.count();
    }

    private static String validId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IncidentNotFoundException(id);
        }
        return id;
    }

    /** A stripped text within its limit, without control characters other than line breaks and tabs. */
    static String text(String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters");
        }
        if (stripped.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
        return stripped;
    }
}
