package io.memdoctor.scans.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.scans.KeyAdvice;
import io.memdoctor.scans.ScanComparison;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.web.FormErrors;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The scan pages: an instance's scans (launch form and history), one scan (a progress bar that polls itself,
 * then the results) and a comparison of two scans. Charts on the scan page read {@code /api/scans/{id}}.
 */
@Controller
class ScanPageController {

    private final ScanService scans;
    private final InstanceService instances;

    ScanPageController(ScanService scans, InstanceService instances) {
        this.scans = scans;
        this.instances = instances;
    }

    @GetMapping("/instances/{id}/scans")
    String history(@PathVariable String id, Model model) {
        historyFragment(id, model);
        boolean replica = scans.replicaAvailable(id);
        model.addAttribute("form", ScanForm.defaults(replica));
        model.addAttribute("replicaAvailable", replica);
        model.addAttribute("clusterInstance", scans.isCluster(id));
        model.addAttribute("types", ScanParameters.TYPES);
        return "scans/page";
    }

    /** The replicas of an instance: a fragment the instance page loads (htmx). */
    @GetMapping("/instances/{id}/replicas")
    String replicas(@PathVariable String id, Model model) {
        model.addAttribute("instance", instances.get(id));
        model.addAttribute("replicas", scans.replicas(id));
        return "scans/partials :: replicas";
    }

    @HxRequest
    @GetMapping("/instances/{id}/scans")
    String historyFragment(@PathVariable String id, Model model) {
        model.addAttribute("instance", instances.get(id));
        model.addAttribute("scans", scans.list(id));
        return "scans/partials :: history";
    }

    /** The launch form posted without htmx: the new scan's page, or the form with the message. */
    @PostMapping("/instances/{id}/scans")
    String launch(@PathVariable String id, @ModelAttribute("form") ScanForm form, Model model,
            HttpServletResponse response) {
        return launch(id, form, "redirect:", model, response);
    }

    /**
     * The launch form: htmx follows {@code HX-Redirect} to the new scan; a bad value or a scan already running
     * brings the form back with the message and what was typed.
     */
    @HxRequest
    @PostMapping("/instances/{id}/scans")
    String launchFromForm(@PathVariable String id, @ModelAttribute("form") ScanForm form, Model model,
            HttpServletResponse response) {
        return launch(id, form, "redirect:htmx:", model, response);
    }

    private String launch(String id, ScanForm form, String redirect, Model model, HttpServletResponse response) {
        Instance instance = instances.get(id);
        try {
            return redirect + "/scans/" + scans.start(id, form.toParameters(), form.source()).id();
        }
        catch (IllegalArgumentException | ErrorResponseException ex) {
            response.setStatus(FormErrors.reject(ex, model).value());
        }
        model.addAttribute("instance", instance);
        model.addAttribute("types", ScanParameters.TYPES);
        model.addAttribute("replicaAvailable", scans.replicaAvailable(id));
        model.addAttribute("clusterInstance", scans.isCluster(id));
        return "scans/partials :: launch-form";
    }

    /** One scan, with its results once it has ended. */
    @GetMapping("/scans/{scanId}")
    String scan(@PathVariable String scanId, Model model) {
        ScanView scan = scanModel(scanId, model);
        if (scan.results() != null) {
            RedisCliCommand cli = RedisCliCommand.to(instances.get(scan.instanceId()).url());
            // a cluster's keys live on several nodes: redis-cli -c follows the redirection to each key's primary
            model.addAttribute("topKeys", KeyAdvice.rows(scan.results().topKeys(), scan.cluster() ? cli.clusterMode()
                    : cli));
        }
        return "scans/scan";
    }

    /** The progress fragment, polled by htmx; the answer after the end reloads the page. */
    @HxRequest
    @GetMapping("/scans/{scanId}")
    String progress(@PathVariable String scanId, Model model) {
        ScanView scan = scanModel(scanId, model);
        return scan.running() ? "scans/partials :: progress" : "refresh:htmx";
    }

    private ScanView scanModel(String scanId, Model model) {
        ScanView scan = scans.get(scanId);
        model.addAttribute("scan", scan);
        model.addAttribute("instance", instances.get(scan.instanceId()));
        return scan;
    }

    @GetMapping("/scans/compare")
    String compare(@RequestParam String base, @RequestParam String other, Model model) {
        ScanComparison comparison = scans.compare(base, other);
        model.addAttribute("comparison", comparison);
        model.addAttribute("instance", instances.get(comparison.other().instanceId()));
        return "scans/compare";
    }
}
