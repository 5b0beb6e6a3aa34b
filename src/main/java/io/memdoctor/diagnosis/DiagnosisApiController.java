package io.memdoctor.diagnosis;

import java.time.Instant;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The diagnosis of one instance over a range, as JSON. */
@RestController
class DiagnosisApiController {

    private final DiagnosisService diagnoses;

    DiagnosisApiController(DiagnosisService diagnoses) {
        this.diagnoses = diagnoses;
    }

    /** {@code {verdict, summary, evidence, nextSteps, from, to, samples}}; the range defaults to the last hour. */
    @GetMapping("/api/instances/{id}/diagnosis")
    Diagnosis diagnosis(@PathVariable String id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        return diagnoses.diagnose(id, from, to);
    }
}
