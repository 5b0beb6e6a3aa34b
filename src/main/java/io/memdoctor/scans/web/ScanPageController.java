package io.memdoctor.scans.web;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.scans.ScanComparison;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.web.HtmxRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
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
    String history(@PathVariable String id, Model model, HttpServletRequest request, HttpServletResponse response) {
        Instance instance = instances.get(id);
        model.addAttribute("instance", instance);
        model.addAttribute("scans", scans.list(id));
        if (HtmxRequests.isHtmx(request, response)) {
            return "scans/partials :: history";
        }
        model.addAttribute("form", ScanForm.defaults());
        model.addAttribute("types", ScanParameters.TYPES);
        return "scans/page";
    }

    /**
     * The launch form: htmx follows {@code HX-Redirect} to the new scan; a bad value or a scan already running
     * brings the form back with the message and what was typed.
     */
    @PostMapping("/instances/{id}/scans")
    String launch(@PathVariable String id, @ModelAttribute("form") ScanForm form, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        Instance instance = instances.get(id);
        try {
            ScanView scan = scans.start(id, form.toParameters());
            if (!HtmxRequests.isHtmx(request, response)) {
                return "redirect:/scans/" + scan.id();
            }
            response.setHeader("HX-Redirect", "/scans/" + scan.id());
            response.setStatus(HttpStatus.NO_CONTENT.value());
            return null;
        }
        catch (IllegalArgumentException ex) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", ex.getMessage());
        }
        catch (ErrorResponseException ex) {
            response.setStatus(ex.getStatusCode().value());
            model.addAttribute("error", ex.getBody().getDetail());
        }
        model.addAttribute("instance", instance);
        model.addAttribute("types", ScanParameters.TYPES);
        return "scans/partials :: launch-form";
    }

    /** One scan; its progress fragment, polled by htmx, reloads the page once the scan has ended. */
    @GetMapping("/scans/{scanId}")
    String scan(@PathVariable String scanId, Model model, HttpServletRequest request, HttpServletResponse response) {
        ScanView scan = scans.get(scanId);
        model.addAttribute("scan", scan);
        model.addAttribute("instance", instances.get(scan.instanceId()));
        if (HtmxRequests.isHtmx(request, response)) {
            if (!scan.running()) {
                response.setHeader("HX-Refresh", "true");
            }
            return "scans/partials :: progress";
        }
        if (scan.results() != null) {
            model.addAttribute("topKeys", KeyAdvice.rows(scan.results().topKeys(),
                    RedisCliCommand.to(instances.get(scan.instanceId()).url())));
        }
        return "scans/scan";
    }

    @GetMapping("/scans/compare")
    String compare(@RequestParam String base, @RequestParam String other, Model model) {
        ScanComparison comparison = scans.compare(base, other);
        model.addAttribute("comparison", comparison);
        model.addAttribute("instance", instances.get(comparison.other().instanceId()));
        return "scans/compare";
    }
}
