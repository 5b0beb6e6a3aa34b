package io.memdoctor.instances;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.memdoctor.web.FormErrors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The memory limit editor on the instance page: a size typed in one field ({@code 1GB}), empty to clear it. */
@Controller
class InstanceMemoryLimitPageController {

    private final InstanceService instances;
    private final MemoryLimits limits;

    InstanceMemoryLimitPageController(InstanceService instances, MemoryLimits limits) {
        this.instances = instances;
        this.limits = limits;
    }

    /** Saves the limit and shows it again; a bad one comes back with its message and what was typed. */
    @HxRequest
    @PostMapping("/instances/{id}/memory-limit")
    String limit(@PathVariable String id, @RequestParam(defaultValue = "") String memoryLimit, Model model) {
        Instance instance = instances.get(id);
        model.addAttribute("limitOf", instance.id().value());
        try {
            Long saved = limits.declare(id, MemoryLimit.parse(memoryLimit)).memoryLimit();
            model.addAttribute("memoryLimit", saved);
            model.addAttribute("memoryLimitText", MemoryLimit.text(saved));
            model.addAttribute("limitSaved", true);
        }
        catch (IllegalArgumentException | ErrorResponseException ex) {
            FormErrors.reject(ex, model);
            model.addAttribute("memoryLimit", instance.memoryLimit());
            model.addAttribute("memoryLimitText", MemoryLimit.text(instance.memoryLimit()));
            model.addAttribute("typedLimit", memoryLimit);
        }
        return "instances/partials :: memory-limit-editor";
    }

    /** Without htmx: saved, then back to the instance page (a bad limit is a 400 page with its message). */
    @PostMapping("/instances/{id}/memory-limit")
    String limitWithoutHtmx(@PathVariable String id, @RequestParam(defaultValue = "") String memoryLimit) {
        Instance instance = instances.get(id);
        limits.declare(id, MemoryLimit.parse(memoryLimit));
        return "redirect:/instances/" + instance.id().value();
    }
}
