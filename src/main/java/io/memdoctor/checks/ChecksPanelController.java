package io.memdoctor.checks;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The checks panel of the instance page, an htmx fragment that reloads itself about once per sample: findings
 * that need action first.
 */
@Controller
class ChecksPanelController {

    /** The panel never polls faster than this, whatever the sampling interval. */
    static final Duration MIN_REFRESH = Duration.ofSeconds(5);

    private final InstanceService instances;
    private final CheckService checks;
    private final Duration refresh;

    ChecksPanelController(InstanceService instances, CheckService checks, MemDoctorProperties properties) {
        this.instances = instances;
        this.checks = checks;
        Duration interval = properties.sampling().interval();
        this.refresh = interval.compareTo(MIN_REFRESH) < 0 ? MIN_REFRESH : interval;
    }

    @GetMapping("/instances/{id}/checks")
    String panel(@PathVariable String id, Model model, HttpServletResponse response) {
        Instance instance = instances.get(id);
        List<CheckResult> results = checks.check(id).stream()
                .sorted(Comparator.comparing(CheckResult::severity)).toList();
        model.addAttribute("instance", instance);
        model.addAttribute("checks", results);
        model.addAttribute("actionable", results.stream().filter(CheckResult::actionable).count());
        model.addAttribute("refreshSeconds", refresh.toSeconds());
        response.addHeader("Cache-Control", "no-store");
        return "checks/partials :: checks";
    }
}
