package io.memdoctor.rdb.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import io.memdoctor.rdb.RdbRecord;
import io.memdoctor.rdb.RdbService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Offline RDB analysis as JSON: upload a file (as the body, or the multipart part {@code file}) or name one in
 * {@code memdoctor.rdb.directory}; follow it; cancel it. Every POST needs OPERATOR (security configuration).
 */
@RestController
class RdbApiController {

    private final RdbService rdb;

    RdbApiController(RdbService rdb) {
        this.rdb = rdb;
    }

    /** The file as the body; its name from {@code ?name=} (optional). 202 with the id. */
    @PostMapping(path = "/api/rdb", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<Started> upload(HttpServletRequest request, @RequestParam(required = false) String name)
            throws IOException {
        return accepted(rdb.upload(request.getInputStream(), name));
    }

    /** The file as the multipart part named {@code file}. 202 with the id. */
    @PostMapping(path = "/api/rdb", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Started> uploadMultipart(HttpServletRequest request,
            @RequestHeader("Content-Type") String contentType) throws IOException {
        MultipartBody body = MultipartBody.open(request.getInputStream(), contentType);
        return accepted(rdb.upload(body.part(), body.filename()));
    }

    /** A file of {@code memdoctor.rdb.directory}: {@code {"file": "backups/dump.rdb"}}. 202 with the id. */
    @PostMapping(path = "/api/rdb", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Started> analyseFile(@RequestBody FileRequest request) {
        return accepted(rdb.analyseFile(request.file()));
    }

    @GetMapping("/api/rdb")
    List<Summary> list() {
        return rdb.list().stream().map(Summary::of).toList();
    }

    /** The files that can be analysed in place. */
    @GetMapping("/api/rdb/files")
    List<RdbService.DirectoryFile> files() {
        return rdb.files();
    }

    @GetMapping("/api/rdb/{id}")
    RdbResponse get(@PathVariable String id) {
        return RdbResponse.of(rdb.get(id));
    }

    /** Cancels a running analysis; answers once what it read is stored (status CANCELLED). */
    @DeleteMapping("/api/rdb/{id}")
    RdbResponse cancel(@PathVariable String id) {
        return RdbResponse.of(rdb.cancel(id));
    }

    /**
     * What grew and shrank from this analysis to {@code otherId}: another RDB analysis or a live scan (the scans'
     * comparison, same shape as {@code GET /api/scans/{id}/compare/{otherId}}).
     */
    @GetMapping("/api/rdb/{id}/compare/{otherId}")
    io.memdoctor.scans.ScanComparison compare(@PathVariable String id, @PathVariable String otherId) {
        return rdb.compare(id, otherId);
    }

    private static ResponseEntity<Started> accepted(RdbRecord r) {
        return ResponseEntity.accepted().location(URI.create("/api/rdb/" + r.id()))
                .body(new Started(r.id(), r.status().name()));
    }

    /** @param file a path relative to {@code memdoctor.rdb.directory} */
    record FileRequest(String file) {
    }

    /**
     * @param id the new analysis
     * @param status RUNNING
     */
    record Started(String id, String status) {
    }

    /** An analysis in a listing. */
    record Summary(String id, String source, String status, java.time.Instant startedAt, long bytesTotal,
            double progress, long keysScanned, String error) {

        static Summary of(RdbRecord r) {
            return new Summary(r.id(), r.source(), r.status().name(), r.startedAt(), r.bytesTotal(),
                    Math.round(r.progress() * 1000) / 1000.0, r.keysRead(), r.error());
        }
    }
}
