package io.memdoctor.overview;

import java.util.List;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxResponse;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.memdoctor.instances.AddInstanceRequest;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.MemoryLimit;
import io.memdoctor.web.FormErrors;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The overview page: a card per instance that refreshes itself, and the form that adds an instance. */
@Controller
class OverviewController {

    /** The add form's memory limit, as typed ({@code 1GB}): its own field, since the request's is in bytes. */
    static final String LIMIT = "memoryLimitText";

    private final OverviewService overview;
    private final InstanceService instances;

    OverviewController(OverviewService overview, InstanceService instances) {
        this.overview = overview;
        this.instances = instances;
    }

    @GetMapping("/")
    String page(@RequestParam(required = false) String q, @RequestParam(required = false) List<String> tag,
            @RequestParam(required = false) String group, @RequestParam(required = false) String show,
            @RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "60") int size, Model model) {
        model.addAttribute("overview", overview.overview(new OverviewQuery(q, tag, group, show, page, size)));
        model.addAttribute("form", new AddInstanceRequest("", ""));
        return "overview/page";
    }

    /** The cards alone: the 5 s refresh and the filter form ask for them with the same query string. */
    @HxRequest
    @GetMapping("/")
    String cards(@RequestParam(required = false) String q, @RequestParam(required = false) List<String> tag,
            @RequestParam(required = false) String group, @RequestParam(required = false) String show,
            @RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "60") int size, Model model) {
        model.addAttribute("overview", overview.overview(new OverviewQuery(q, tag, group, show, page, size)));
        return "overview/partials :: cards";
    }

    /** The add form posted without htmx: the whole page again, with the honest 400 or 409 on a mistake. */
    @PostMapping("/instances")
    String add(@ModelAttribute("form") AddInstanceRequest form,
            @RequestParam(name = LIMIT, defaultValue = "") String memoryLimit, Model model, HttpServletResponse response) {
        try {
            added(instances.add(form.name(), form.url(), form.tags(), MemoryLimit.parse(memoryLimit)), model);
        }
        catch (IllegalArgumentException | ErrorResponseException ex) {
            response.setStatus(refused(ex, form, memoryLimit, model).value());
        }
        model.addAttribute("overview", overview.overview(OverviewQuery.all()));
        return "overview/page";
    }

    /**
     * The add form: on success the form comes back empty and the cards refresh; on a bad name or URL the form comes
     * back with the message and what was typed (minus the URL's password), as 200, because the form handled the
     * mistake (browsers log every 4xx XHR as a console error).
     */
    @HxRequest
    @PostMapping("/instances")
    String addFromForm(@ModelAttribute("form") AddInstanceRequest form,
            @RequestParam(name = LIMIT, defaultValue = "") String memoryLimit, Model model, HtmxResponse htmx) {
        try {
            added(instances.add(form.name(), form.url(), form.tags(), MemoryLimit.parse(memoryLimit)), model);
            htmx.addTrigger("instances-changed");
        }
        catch (IllegalArgumentException | ErrorResponseException ex) {
            refused(ex, form, memoryLimit, model);
        }
        return "overview/partials :: add-form";
    }

    private static void added(Instance added, Model model) {
        model.addAttribute("form", new AddInstanceRequest("", ""));
        model.addAttribute("added", added.name());
    }

    private static HttpStatusCode refused(RuntimeException ex, AddInstanceRequest form, String memoryLimit,
            Model model) {
        model.addAttribute("form", new AddInstanceRequest(form.name(), "", form.tags()));
        model.addAttribute("typedLimit", memoryLimit);
        return FormErrors.reject(ex, model);
    }
}
