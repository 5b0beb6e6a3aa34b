package io.memdoctor.checks;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The checks of one instance, as JSON. */
@RestController
class CheckApiController {

    private final CheckService checks;

    CheckApiController(CheckService checks) {
        this.checks = checks;
    }

    /** {@code [{id, severity, title, evidence, remedy}]} in catalogue order; 404 for an unknown instance. */
    @GetMapping("/api/instances/{id}/checks")
    List<CheckResult> checks(@PathVariable String id) {
        return checks.check(id);
    }
}
