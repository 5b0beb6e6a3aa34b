package io.memdoctor.incidents;

import java.time.Instant;
import java.util.Map;

import io.memdoctor.incidents.store.IncidentRepository;
import io.memdoctor.rdb.RdbRecord;
import io.memdoctor.rdb.RdbReport;
import io.memdoctor.rdb.RdbService;
import io.memdoctor.scans.engine.ScanStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Freezes a finished offline RDB analysis into an incident ({@link Capture#rdb()}), beside the live scan the capture
 * may hold: the page and every export show both through the scan's own code, the scan as "what the server held
 * then" and the file as "what the backup held". A second file replaces the first; the scan is never touched.
 * Depends on {@code rdb}'s public service; {@code rdb} never depends on incidents.
 */
@Service
public class RdbAttacher {

    private static final Logger log = LoggerFactory.getLogger(RdbAttacher.class);

    private final IncidentService incidents;
    private final RdbService analyses;
    private final IncidentRepository repository;

    RdbAttacher(IncidentService incidents, RdbService analyses, IncidentRepository repository) {
        this.incidents = incidents;
        this.analyses = analyses;
        this.repository = repository;
    }

    /**
     * Attaches an analysis' report to an incident.
     *
     * @throws IncidentNotFoundException 404 for an unknown incident
     * @throws io.memdoctor.rdb.RdbNotFoundException 404 for an unknown analysis
     * @throws IncidentReadOnlyException 409 for an imported incident
     * @throws ErrorResponseException 409 when the analysis is not DONE
     */
    public Incident attach(String incidentId, String rdbId) {
        Incident incident = incidents.get(incidentId);
        RdbRecord analysis = analyses.get(rdbId);
        if (incident.imported()) {
            throw new IncidentReadOnlyException(incident.id());
        }
        if (analysis.status() != ScanStatus.DONE || analysis.report() == null) {
            throw conflict("Analysis not done", "Only a DONE analysis can be attached; this one is "
                    + analysis.status() + ".");
        }
        RdbReport report = analysis.report();
        ScanAttachment attached = new ScanAttachment(analysis.id(), analysis.status().name(), analysis.startedAt(),
                analysis.endedAt(), null, report.results(), new ScanAttachment.RdbFile(analysis.source(),
                        report.rdbVersion(), report.aux().get("redis-ver"), ctime(report.aux())));
        // under the row's lock: a scan that ends meanwhile keeps its results
        Capture capture = repository.updateCapture(incident.id(), stored -> stored.withRdb(attached))
                .orElseThrow(() -> new IncidentNotFoundException(incident.id()));
        log.info("Attached RDB analysis {} to incident {}", analysis.id(), incident.id());
        return incident.withCapture(capture);
    }

    private static Instant ctime(Map<String, String> aux) {
        try {
            String ctime = aux.get("ctime");
            return ctime == null ? null : Instant.ofEpochSecond(Long.parseLong(ctime.strip()));
        }
        catch (RuntimeException unreadable) {
            // a hand-written or odd aux field is shown nowhere rather than failing the attachment
            return null;
        }
    }

    private static ErrorResponseException conflict(String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle(title);
        return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
    }
}
