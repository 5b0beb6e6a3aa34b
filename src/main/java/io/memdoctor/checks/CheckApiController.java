package io.memdoctor.checks;

import java.net.URI;
import java.util.List;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The checks of one instance, as JSON. */
@RestController
class CheckApiController {

    private final CheckService checks;
    private final InstanceService instances;

    CheckApiController(CheckService checks, InstanceService instances) {
        this.checks = checks;
        this.instances = instances;
    }

    /**
     * {@code [{id, severity, title, evidence, remedy}]} in catalogue order; 404 for an unknown instance. A cluster
     * answers 303 to {@code /api/clusters/{id}}, whose {@code findings} are the checks across its shards.
     */
    @GetMapping("/api/instances/{id}/checks")
    ResponseEntity<List<CheckResult>> checks(@PathVariable String id) {
        Instance instance = instances.get(id);
        if (instance.isCluster()) {
            return ResponseEntity.status(HttpStatus.SEE_OTHER)
                    .location(URI.create("/api/clusters/" + instance.id().value())).build();
        }
        return ResponseEntity.ok(checks.check(id));
    }
}
