package io.memdoctor.overview;

import java.util.List;

import io.memdoctor.instances.AddInstanceRequest;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.web.HtmxRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The overview page: a card per instance that refreshes itself, and the form that adds an instance. */
@Controller
class OverviewController {

    private final OverviewService overview;
    private final InstanceService instances;

    OverviewController(OverviewService overview, InstanceService instances) {
        this.overview = overview;
        this.instances = instances;
    }

    @GetMapping("/")
    String page(Model model, HttpServletRequest request, HttpServletResponse response) {
        model.addAttribute("cards", overview.cards());
        if (HtmxRequests.isHtmx(request, response)) {
            return "overview/partials :: cards";
        }
        model.addAttribute("form", new AddInstanceRequest("", ""));
        return "overview/page";
    }

    @GetMapping("/api/overview")
    @ResponseBody
    List<InstanceCard> cards() {
        return overview.cards();
    }

    /**
     * The add form: on success the form comes back empty and the cards refresh; on a bad name or URL the form comes
     * back with the message and what was typed (minus the URL's password). htmx gets that answer as 200, because
     * the form handled the mistake (browsers log every 4xx XHR as a console error); a plain form post gets the
     * honest 400 or 409.
     */
    @PostMapping("/instances")
    String add(@ModelAttribute("form") AddInstanceRequest form, Model model, HttpServletRequest request,
            HttpServletResponse response) {
        boolean htmx = HtmxRequests.isHtmx(request, response);
        try {
            Instance added = instances.add(form.name(), form.url());
            model.addAttribute("form", new AddInstanceRequest("", ""));
            model.addAttribute("added", added.name());
            response.setHeader("HX-Trigger", "instances-changed");
        }
        catch (IllegalArgumentException ex) {
            fail(model, htmx ? null : response, HttpStatus.BAD_REQUEST, ex.getMessage(), form);
        }
        catch (ErrorResponseException ex) {
            fail(model, htmx ? null : response, HttpStatus.valueOf(ex.getStatusCode().value()), ex.getBody().getDetail(),
                    form);
        }
        if (!htmx) {
            model.addAttribute("cards", overview.cards());
            return "overview/page";
        }
        return "overview/partials :: add-form";
    }

    private static void fail(Model model, HttpServletResponse response, HttpStatus status, String message,
            AddInstanceRequest form) {
        if (response != null) {
            response.setStatus(status.value());
        }
        model.addAttribute("error", message);
        model.addAttribute("form", new AddInstanceRequest(form.name(), ""));
    }
}
