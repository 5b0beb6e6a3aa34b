package io.memdoctor.scans.web;

import java.net.URI;
import java.util.List;

import io.memdoctor.scans.ScanComparison;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Keyspace scans as JSON: start, follow, cancel, list, compare. */
@RestController
class ScanApiController {

    private final ScanService scans;

    ScanApiController(ScanService scans) {
        this.scans = scans;
    }

    /** Starts a scan; 202 with its id, and {@code Location} pointing at its progress. */
    @PostMapping("/api/instances/{id}/scans")
    ResponseEntity<Started> start(@PathVariable String id, @RequestBody(required = false) ScanRequest request) {
        ScanRequest body = request == null ? new ScanRequest(null, null, null, null, null, null, null, null)
                : request;
        ScanView scan = scans.start(id, body.toParameters(), body.source());
        return ResponseEntity.accepted().location(URI.create("/api/scans/" + scan.id()))
                .body(new Started(scan.id(), scan.status().name()));
    }

    @GetMapping("/api/instances/{id}/scans")
    List<ScanSummary> list(@PathVariable String id) {
        return scans.list(id).stream().map(ScanSummary::of).toList();
    }

    /** The replicas of an instance (INFO replication), which a scan may run on with {@code "from": "replica"}. */
    @GetMapping("/api/instances/{id}/replicas")
    List<ScanService.Replica> replicas(@PathVariable String id) {
        return scans.replicas(id);
    }

    @GetMapping("/api/scans/{scanId}")
    ScanResponse get(@PathVariable String scanId) {
        return ScanResponse.of(scans.get(scanId));
    }

    /** Cancels a running scan; answers once what it found is recorded (status CANCELLED). */
    @DeleteMapping("/api/scans/{scanId}")
    ScanResponse cancel(@PathVariable String scanId) {
        return ScanResponse.of(scans.cancel(scanId));
    }

    /** What grew and shrank from {@code scanId} to {@code otherId}. */
    @GetMapping("/api/scans/{scanId}/compare/{otherId}")
    ScanComparison compare(@PathVariable String scanId, @PathVariable String otherId) {
        return scans.compare(scanId, otherId);
    }

    /**
     * @param id the new scan
     * @param status RUNNING
     */
    record Started(String id, String status) {
    }
}
