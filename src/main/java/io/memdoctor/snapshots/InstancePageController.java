package io.memdoctor.snapshots;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.MemoryLimit;
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

    private final InstanceService instances;
    private final SnapshotHistory history;

    InstancePageController(InstanceService instances, SnapshotHistory history) {
        this.instances = instances;
        this.history = history;
    }

    @GetMapping("/instances/{id}")
    String page(@PathVariable String id, @RequestParam(defaultValue = "1h") String range, Model model) {
        summary(id, model);
        ChartRange chosen = ChartRange.of(range);
        model.addAttribute("range", chosen.label());
        model.addAttribute("ranges", ChartRange.all());
        model.addAttribute("keysizes", history.keySizes(instances.get(id).id()));
        return "snapshots/page";
    }

    @HxRequest
    @GetMapping("/instances/{id}")
    String summary(@PathVariable String id, Model model) {
        Instance instance = instances.get(id);
        model.addAttribute("instance", instance);
        model.addAttribute("url", instance.url().redacted());
        model.addAttribute("tagsOf", instance.id().value());
        model.addAttribute("instanceTags", instances.tagsOf(instance.id()));
        model.addAttribute("limitOf", instance.id().value());
        model.addAttribute("memoryLimit", instance.memoryLimit());
        model.addAttribute("memoryLimitText", MemoryLimit.text(instance.memoryLimit()));
        model.addAttribute("status", history.statusOf(instance.id()));
        Snapshot latest = history.latestOk(instance.id()).orElse(null);
        model.addAttribute("latest", latest == null ? null : SnapshotResponse.of(latest));
        model.addAttribute("ceiling", MemoryCeiling.of(latest, instance.memoryLimit()));
        model.addAttribute("server", ServerIdentity.of(latest));
        model.addAttribute("replication", history.replicationMemory(instance.id()));
        model.addAttribute("fragmentation", latest == null ? FragmentationLevel.UNKNOWN : FragmentationLevel.shown(latest));
        return "snapshots/partials :: summary";
    }

    /** Removal from the page: htmx follows {@code HX-Redirect} back to the overview. */
    @DeleteMapping("/instances/{id}")
    String remove(@PathVariable String id) {
        instances.remove(id);
        return "redirect:htmx:/";
    }
}
