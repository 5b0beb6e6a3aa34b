package io.memdoctor.incidents.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentNote;
import io.memdoctor.incidents.CaptureRequest;
import io.memdoctor.incidents.IncidentCapture;
import io.memdoctor.incidents.IncidentService;
import io.memdoctor.incidents.RdbAttacher;
import io.memdoctor.incidents.export.IncidentDocuments;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Incidents as JSON: capture, list, read, delete, add notes, import another dashboard's export. */
@RestController
class IncidentApiController {

    private final IncidentService incidents;
    private final IncidentCapture capture;
    private final IncidentDocuments documents;
    private final RdbAttacher rdb;

    IncidentApiController(IncidentService incidents, IncidentCapture capture, IncidentDocuments documents,
            RdbAttacher rdb) {
        this.incidents = incidents;
        this.capture = capture;
        this.documents = documents;
        this.rdb = rdb;
    }

    /** Freezes a DONE RDB analysis into the incident in place of a scan: 200 with the incident. */
    @PostMapping("/api/incidents/{id}/rdb/{rdbId}")
    Incident attachRdb(@PathVariable String id, @PathVariable String rdbId) {
        return rdb.attach(id, rdbId);
    }

    /** Captures an incident now: 201 with its id, {@code Location} pointing at it. */
    @PostMapping("/api/instances/{id}/incidents")
    ResponseEntity<Map<String, String>> capture(@PathVariable String id,
            @RequestBody CaptureRequest request) {
        Incident incident = capture.capture(id, request);
        return ResponseEntity.created(URI.create("/api/incidents/" + incident.id()))
                .body(Map.of("id", incident.id()));
    }

    @GetMapping("/api/incidents")
    List<IncidentSummary> list() {
        return incidents.list().stream().map(IncidentSummary::of).toList();
    }

    /**
     * The whole incident: facts, checks, diagnosis, the window's samples, the scan and the notes; slow log arguments
     * hidden unless an operator asks with {@code slowlogArguments=true}.
     */
    @GetMapping("/api/incidents/{id}")
    Incident get(@PathVariable String id,
            @RequestParam(name = SlowlogArguments.PARAMETER, defaultValue = "false") boolean slowlogArguments) {
        return SlowlogArguments.forRequest(incidents.get(id), slowlogArguments);
    }

    /** Deletes an incident and its notes: 204, or 404 when there is none. */
    @DeleteMapping("/api/incidents/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        incidents.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** Adds a note; 409 for an imported incident. */
    @PostMapping("/api/incidents/{id}/notes")
    ResponseEntity<IncidentNote> addNote(@PathVariable String id, @RequestBody NoteRequest note) {
        IncidentNote added = incidents.addNote(id, note.at(), note.zone(), note.author(), note.text());
        return ResponseEntity.created(URI.create("/api/incidents/" + id)).body(added);
    }

    /**
     * Imports a JSON export (the request body) as a read-only incident: 201 with its id, or 400 saying what is wrong
     * with the file, and nothing stored.
     */
    @PostMapping("/api/incidents/import")
    ResponseEntity<Map<String, String>> importExport(HttpServletRequest request) throws IOException {
        Incident incident = incidents.importIncident(documents.read(body(request)), "imported through the API");
        return ResponseEntity.created(URI.create("/api/incidents/" + incident.id()))
                .body(Map.of("id", incident.id()));
    }

    /** The body, refused past the import limit without reading all of it. */
    static byte[] body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > IncidentDocuments.MAX_BYTES) {
            throw tooLarge();
        }
        byte[] body = request.getInputStream().readNBytes(IncidentDocuments.MAX_BYTES + 1);
        if (body.length > IncidentDocuments.MAX_BYTES) {
            throw tooLarge();
        }
        return body;
    }

    private static ErrorResponseException tooLarge() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, "An import takes at"
                + " most " + IncidentDocuments.MAX_BYTES / (1024 * 1024) + " MB.");
        problem.setTitle("File too large");
        return new ErrorResponseException(HttpStatus.PAYLOAD_TOO_LARGE, problem, null);
    }
}
