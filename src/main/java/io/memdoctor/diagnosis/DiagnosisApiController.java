package io.memdoctor.diagnosis;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** The diagnosis of one instance over a range, as JSON. */
@RestController
class DiagnosisApiController {

    private final DiagnosisService diagnoses;
    private final InstanceService instances;

    DiagnosisApiController(DiagnosisService diagnoses, InstanceService instances) {
        this.diagnoses = diagnoses;
        this.instances = instances;
    }

    /**
     * {@code {verdict, summary, evidence, nextSteps, from, to, samples}}; the range defaults to the last hour. A
     * cluster is not sampled itself: it answers 303 to {@code /api/clusters/{id}/diagnosis}, its nodes' verdicts.
     */
    @GetMapping("/api/instances/{id}/diagnosis")
    ResponseEntity<Diagnosis> diagnosis(@PathVariable String id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        Instance instance = instances.get(id);
        if (instance.isCluster()) {
            URI location = UriComponentsBuilder.fromPath("/api/clusters/{id}/diagnosis")
                    .queryParamIfPresent("from", Optional.ofNullable(from))
                    .queryParamIfPresent("to", Optional.ofNullable(to))
                    .buildAndExpand(instance.id().value()).encode().toUri();
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(location).build();
        }
        return ResponseEntity.ok(diagnoses.diagnose(id, from, to));
    }
}
