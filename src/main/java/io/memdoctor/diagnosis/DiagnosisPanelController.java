package io.memdoctor.diagnosis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.ChartRange;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The diagnosis panel of the instance page, for the chart range the page shows ({@code diagnosis.js} reloads it
 * when the range changes); an htmx fragment that refreshes itself.
 */
@Controller
class DiagnosisPanelController {

    private final InstanceService instances;
    private final DiagnosisService diagnoses;
    private final Clock clock;

    DiagnosisPanelController(InstanceService instances, DiagnosisService diagnoses, Clock clock) {
        this.instances = instances;
        this.diagnoses = diagnoses;
        this.clock = clock;
    }

    @GetMapping("/instances/{id}/diagnosis")
    String panel(@PathVariable String id, @RequestParam(defaultValue = "1h") String range, Model model,
            HttpServletResponse response) {
        Instance instance = instances.get(id);
        Duration span = ChartRange.of(range).length();
        Instant to = clock.instant().plusMillis(1);
        Diagnosis diagnosis = diagnoses.diagnose(id, to.minus(span), to);
        model.addAttribute("instance", instance);
        model.addAttribute("range", range);
        model.addAttribute("diagnosis", diagnosis);
        model.addAttribute("verdictCss", diagnosis.verdict().css());
        model.addAttribute("verdictLabel", diagnosis.verdict().label());
        response.addHeader("Cache-Control", "no-store");
        return "diagnosis/partials :: diagnosis";
    }
}
