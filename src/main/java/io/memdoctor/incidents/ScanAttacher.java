package io.memdoctor.incidents;

import io.memdoctor.incidents.store.IncidentRepository;
import io.memdoctor.scans.ScanEnded;
import io.memdoctor.scans.ScanNotFoundException;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Freezes a capture's scan into its incident when the scan ends, so its results survive the scan's own retention,
 * and reading an incident never writes. At start it settles the incidents whose scan ended while the dashboard was
 * down (marked INTERRUPTED then).
 */
@Component
class ScanAttacher {

    private static final Logger log = LoggerFactory.getLogger(ScanAttacher.class);

    private final ScanService scans;
    private final IncidentRepository repository;

    ScanAttacher(ScanService scans, IncidentRepository repository) {
        this.scans = scans;
        this.repository = repository;
    }

    @EventListener
    void onScanEnded(ScanEnded event) {
        repository.findWithPendingScan(event.scanId()).forEach(this::settle);
    }

    @EventListener(ApplicationReadyEvent.class)
    void settleLeftovers() {
        repository.findWithPendingScan(null).forEach(this::settle);
    }

    private void settle(Incident incident) {
        try {
            attachIfEnded(incident);
        }
        catch (RuntimeException ex) {
            // the scan's end is recorded either way; the incident keeps RUNNING until the next start settles it
            log.warn("Could not attach the scan of incident {}: {}", incident.id(), ex.getMessage());
        }
    }

    /** The incident with its scan's end attached, when the scan has ended; as it was otherwise. */
    Incident attachIfEnded(Incident incident) {
        ScanAttachment scan = incident.capture().scan();
        if (scan == null || !scan.pending() || incident.imported()) {
            return incident;
        }
        ScanAttachment ended;
        try {
            ScanView view = scans.get(scan.scanId());
            if (view.running()) {
                return incident;
            }
            ended = new ScanAttachment(view.id(), view.status().name(), view.startedAt(), view.endedAt(),
                    view.error(), view.results());
        }
        catch (ScanNotFoundException gone) {
            ended = new ScanAttachment(scan.scanId(), "GONE", scan.startedAt(), null,
                    "the scan was deleted before it could be attached", null);
        }
        ScanAttachment settled = ended;
        // the stored capture, not the one read earlier: an RDB file attached meanwhile stays
        return repository.updateCapture(incident.id(), stored -> stored.scan() != null && stored.scan().pending()
                && scan.scanId().equals(stored.scan().scanId()) ? stored.withScan(settled) : stored)
                .map(incident::withCapture).orElse(incident);
    }
}
