package io.memdoctor.incidents.web;

import java.util.List;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentService;
import io.memdoctor.incidents.export.FactTexts;
import io.memdoctor.incidents.export.IncidentExports;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.security.CurrentUser;
import io.memdoctor.web.HtmxRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * One incident's page (charts drawn by {@code incidents.js} from {@code /api/incidents/{id}}, the diagnosis, checks,
 * top keys, the notes timeline), and the forms that capture an incident from the instance page and add notes.
 */
@Controller
class IncidentPageController {

    private final IncidentService incidents;
    private final InstanceService instances;
    private final JsonMapper json;

    IncidentPageController(IncidentService incidents, InstanceService instances, JsonMapper json) {
        this.incidents = incidents;
        this.instances = instances;
        this.json = json;
    }

    @GetMapping("/incidents/{id}")
    String page(@PathVariable String id,
            @RequestParam(name = SlowlogArguments.PARAMETER, defaultValue = "false") boolean slowlogArguments,
            Model model, HttpServletRequest request, HttpServletResponse response) {
        Incident incident = SlowlogArguments.forRequest(incidents.get(id), slowlogArguments);
        model.addAttribute("incident", incident);
        model.addAttribute("slowlogHidden", !slowlogArguments);
        model.addAttribute("mayRevealSlowlog", CurrentUser.isOperator());
        if (HtmxRequests.isHtmx(request, response)) {
            return "incidents/partials :: timeline";
        }
        List<CheckResult> checks = incident.capture().checks();
        model.addAttribute("failing", checks.stream().filter(CheckResult::actionable).toList());
        model.addAttribute("otherChecks", checks.stream().filter(c -> !c.actionable()).toList());
        model.addAttribute("diagnosis", incident.capture().diagnosis());
        model.addAttribute("scan", incident.capture().scan());
        model.addAttribute("formats", IncidentExports.FORMATS);
        model.addAttribute("factTexts", FactTexts.of(incident, json));
        return "incidents/page";
    }

    /** The page's Delete button: htmx follows {@code HX-Redirect} to the list. */
    @DeleteMapping("/incidents/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        incidents.delete(id);
        return ResponseEntity.noContent().header("HX-Redirect", "/incidents").build();
    }

    /** The top keys fragment, which polls itself while the capture's scan runs. */
    @GetMapping("/incidents/{id}/keys")
    String keys(@PathVariable String id, Model model, HttpServletResponse response) {
        Incident incident = incidents.get(id);
        response.addHeader("Vary", "HX-Request");
        model.addAttribute("incident", incident);
        model.addAttribute("scan", incident.capture().scan());
        return "incidents/partials :: top-keys";
    }

    /** The capture form of the instance page: htmx follows {@code HX-Redirect} to the new incident. */
    @PostMapping("/instances/{id}/incidents")
    String capture(@PathVariable String id, @RequestParam(required = false) String title,
            @RequestParam(required = false) String note, @RequestParam(defaultValue = "false") boolean scan,
            @RequestParam(required = false) Integer windowHours, Model model, HttpServletRequest request,
            HttpServletResponse response) {
        Instance instance = instances.get(id);
        try {
            Incident incident = incidents.capture(id, new IncidentService.CaptureRequest(title, note, scan,
                    windowHours));
            return redirect("/incidents/" + incident.id(), request, response);
        }
        catch (IllegalArgumentException ex) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", ex.getMessage());
        }
        model.addAttribute("instance", instance);
        model.addAttribute("captureTitle", title);
        model.addAttribute("captureNote", note);
        return "incidents/partials :: capture-form";
    }

    /** The note form: answers with the timeline, and tells the charts (through HX-Trigger) to redraw markers. */
    @PostMapping("/incidents/{id}/notes")
    String addNote(@PathVariable String id, NoteRequest note, Model model, HttpServletRequest request,
            HttpServletResponse response) {
        try {
            incidents.addNote(id, note.at(), note.zone(), note.author(), note.text());
            if (!HtmxRequests.isHtmx(request, response)) {
                return "redirect:/incidents/" + id;
            }
            response.setHeader("HX-Trigger", "incident-notes-changed");
        }
        catch (IllegalArgumentException ex) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", ex.getMessage());
            model.addAttribute("form", note);
        }
        catch (ErrorResponseException ex) {
            if (ex.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                throw ex;
            }
            response.setStatus(ex.getStatusCode().value());
            model.addAttribute("error", ex.getBody().getDetail());
        }
        model.addAttribute("incident", incidents.get(id));
        return "incidents/partials :: timeline";
    }

    private static String redirect(String location, HttpServletRequest request, HttpServletResponse response) {
        if (!HtmxRequests.isHtmx(request, response)) {
            return "redirect:" + location;
        }
        response.setHeader("HX-Redirect", location);
        response.setStatus(HttpStatus.NO_CONTENT.value());
        return null;
    }
}
