package io.memdoctor.instances;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.memdoctor.web.FormErrors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The tag editor on the instance page: tags typed in one field, separated by commas or spaces. */
@Controller
class InstanceTagsPageController {

    private final InstanceService instances;

    InstanceTagsPageController(InstanceService instances) {
        this.instances = instances;
    }

    /** Saves the tags and shows them again; a bad tag comes back with its message and what was typed. */
    @HxRequest
    @PostMapping("/instances/{id}/tags")
    String retag(@PathVariable String id, @RequestParam(defaultValue = "") String tags, Model model) {
        Instance instance = instances.get(id);
        model.addAttribute("tagsOf", instance.id().value());
        try {
            model.addAttribute("instanceTags", instances.retag(id, InstanceTags.parse(tags)));
            model.addAttribute("saved", true);
        }
        catch (IllegalArgumentException | ErrorResponseException ex) {
            FormErrors.reject(ex, model);
            model.addAttribute("instanceTags", instances.tagsOf(instance.id()));
            model.addAttribute("typed", tags);
        }
        return "instances/partials :: tag-editor";
    }

    /** Without htmx: saved, then back to the instance page (a bad tag is a 400 page with its message). */
    @PostMapping("/instances/{id}/tags")
    String retagWithoutHtmx(@PathVariable String id, @RequestParam(defaultValue = "") String tags) {
        Instance instance = instances.get(id);
        instances.retag(id, InstanceTags.parse(tags));
        return "redirect:/instances/" + instance.id().value();
    }
}
