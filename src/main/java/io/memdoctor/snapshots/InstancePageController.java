package io.memdoctor.snapshots;

import java.util.List;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.web.HtmxRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The instance page: memory, fragmentation and key-churn charts over a chosen range (drawn by {@code charts.js}
 * from the JSON API) and a summary that htmx refreshes, which in turn tells the charts to reload.
 */
@Controller
class InstancePageController {

    /** The ranges offered on the page. */
    static final List<String> RANGES = List.of("1h", "6h", "24h", "7d", "30d");

    private final InstanceService instances;
    private final SnapshotHistory history;

    InstancePageController(InstanceService instances, SnapshotHistory history) {
        this.instances = instances;
        this.history = history;
    }

    @GetMapping("/instances/{id}")
    String page(@PathVariable String id, @RequestParam(defaultValue = "1h") String range, Model model,
            HttpServletRequest request, HttpServletResponse response) {
        Instance instance = instances.get(id);
        if (!RANGES.contains(range)) {
            throw new IllegalArgumentException("range must be one of " + String.join(", ", RANGES));
        }
        model.addAttribute("instance", instance);
        model.addAttribute("url", instance.url().redacted());
        model.addAttribute("status", history.statusOf(instance.id()));
        Snapshot latest = history.latestOk(instance.id()).orElse(null);
        model.addAttribute("latest", latest == null ? null : SnapshotResponse.of(latest));
        model.addAttribute("fragmentation", latest == null ? FragmentationLevel.UNKNOWN : FragmentationLevel.shown(latest));
        if (HtmxRequests.isHtmx(request, response)) {
            return "snapshots/partials :: summary";
        }
        model.addAttribute("range", range);
        model.addAttribute("ranges", RANGES);
        return "snapshots/page";
    }

    /** Removal from the page: htmx follows {@code HX-Redirect} back to the overview. */
    @DeleteMapping("/instances/{id}")
    ResponseEntity<Void> remove(@PathVariable String id) {
        instances.remove(id);
        return ResponseEntity.noContent().header("HX-Redirect", "/").build();
    }
}
