package io.memdoctor.incidents.web;

import java.util.List;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxResponse;
import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.memdoctor.checks.CheckResult;
import io.memdoctor.incidents.CaptureRequest;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentCapture;
import io.memdoctor.incidents.IncidentService;
import io.memdoctor.incidents.NodeCapture;
import io.memdoctor.incidents.RdbAttacher;
import io.memdoctor.rdb.RdbService;
import io.memdoctor.scans.KeyAdvice;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.incidents.ScanAttachment;
import io.memdoctor.incidents.export.FactTexts;
import io.memdoctor.incidents.export.IncidentExports;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.security.CurrentUser;
import io.memdoctor.web.FormErrors;
import jakarta.servlet.http.HttpServletResponse;
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
 * htmx gets fragments and {@code HX-Redirect}s; a plain form post gets whole pages and redirects.
 */
@Controller
class IncidentPageController {

    /** Top keys the page lists for a scan or an RDB file; the exports have their own limits. */
    private static final int TOP_KEYS = 50;

    private final IncidentService incidents;
    private final IncidentCapture capture;
    private final InstanceService instances;
    private final JsonMapper json;
    private final RdbAttacher rdb;
    private final RdbService analyses;

    IncidentPageController(IncidentService incidents, IncidentCapture capture, InstanceService instances,
            JsonMapper json, RdbAttacher rdb, RdbService analyses) {
        this.rdb = rdb;
        this.analyses = analyses;
        this.incidents = incidents;
        this.capture = capture;
        this.instances = instances;
        this.json = json;
    }

    @GetMapping("/incidents/{id}")
    String page(@PathVariable String id,
            @RequestParam(name = SlowlogArguments.PARAMETER, defaultValue = "false") boolean slowlogArguments,
            Model model) {
        Incident incident = incident(id, slowlogArguments, model);
        List<CheckResult> checks = incident.capture().checks();
        model.addAttribute("failing", checks.stream().filter(CheckResult::actionable).toList());
        model.addAttribute("otherChecks", checks.stream().filter(c -> !c.actionable()).toList());
        model.addAttribute("diagnosis", incident.capture().diagnosis());
        keysModel(incident, model);
        model.addAttribute("formats", IncidentExports.FORMATS);
        model.addAttribute("factTexts", FactTexts.of(incident, json));
        model.addAttribute("nodeFactTexts", FactTexts.ofNodes(incident, json));
        model.addAttribute("chartShard", NodeCapture.mostSerious(incident.capture().nodes()));
        return "incidents/page";
    }

    @HxRequest
    @GetMapping("/incidents/{id}")
    String timeline(@PathVariable String id,
            @RequestParam(name = SlowlogArguments.PARAMETER, defaultValue = "false") boolean slowlogArguments,
            Model model) {
        incident(id, slowlogArguments, model);
        return "incidents/partials :: timeline";
    }

    private Incident incident(String id, boolean slowlogArguments, Model model) {
        Incident incident = SlowlogArguments.forRequest(incidents.get(id), slowlogArguments);
        model.addAttribute("incident", incident);
        model.addAttribute("slowlogHidden", !slowlogArguments);
        model.addAttribute("mayRevealSlowlog", CurrentUser.isOperator());
        return incident;
    }

    /** The page's Delete button: htmx follows {@code HX-Redirect} to the list. */
    @DeleteMapping("/incidents/{id}")
    String delete(@PathVariable String id) {
        incidents.delete(id);
        return "redirect:htmx:/incidents";
    }

    /** The top keys fragment, which polls itself while the capture's scan runs. */
    @GetMapping("/incidents/{id}/keys")
    String keys(@PathVariable String id, Model model) {
        Incident incident = incidents.get(id);
        model.addAttribute("incident", incident);
        keysModel(incident, model);
        return "incidents/partials :: top-keys";
    }

    /** The top keys form's Attach button: the fragment again, with the RDB report or why it was refused. */
    @PostMapping("/incidents/{id}/rdb")
    String attachRdb(@PathVariable String id, @RequestParam(required = false) String rdbId, Model model) {
        Incident incident;
        try {
            incident = rdb.attach(id, rdbId);
        }
        catch (ErrorResponseException refused) {
            incident = incidents.get(id);
            model.addAttribute("rdbError", refused.getBody().getDetail());
        }
        model.addAttribute("incident", incident);
        keysModel(incident, model);
        return "incidents/partials :: top-keys";
    }

    private void keysModel(Incident incident, Model model) {
        model.addAttribute("scan", incident.capture().scan());
        model.addAttribute("rdb", incident.capture().rdb());
        model.addAttribute("scanKeys", keyRows(incident.capture().scan(), incident));
        model.addAttribute("rdbKeys", keyRows(incident.capture().rdb(), incident));
        model.addAttribute("rdbAnalyses", incident.imported() ? List.of()
                : analyses.list().stream().filter(r -> r.status() == ScanStatus.DONE).toList());
    }

    private static List<KeyAdvice.Row> keyRows(ScanAttachment report, Incident incident) {
        return report == null ? List.of() : report.keyRows(incident.instanceUrl(), TOP_KEYS);
    }

    /** The capture form of the instance page, posted by htmx: it follows {@code HX-Redirect} to the new incident. */
    @HxRequest
    @PostMapping("/instances/{id}/incidents")
    String captureFromForm(@PathVariable String id, @RequestParam(required = false) String title,
            @RequestParam(required = false) String note, @RequestParam(defaultValue = "false") boolean scan,
            @RequestParam(required = false) Integer windowHours, Model model, HttpServletResponse response) {
        return capture(id, new CaptureForm(title, note, scan, windowHours), "redirect:htmx:", model, response);
    }

    @PostMapping("/instances/{id}/incidents")
    String capture(@PathVariable String id, @RequestParam(required = false) String title,
            @RequestParam(required = false) String note, @RequestParam(defaultValue = "false") boolean scan,
            @RequestParam(required = false) Integer windowHours, Model model, HttpServletResponse response) {
        return capture(id, new CaptureForm(title, note, scan, windowHours), "redirect:", model, response);
    }

    private String capture(String id, CaptureForm form, String redirect, Model model, HttpServletResponse response) {
        model.addAttribute("instance", instances.get(id));
        try {
            CaptureRequest request = new CaptureRequest(form.title(), form.note(), form.scan(), form.windowHours());
            return redirect + "/incidents/" + capture.capture(id, request).id();
        }
        catch (IllegalArgumentException ex) {
            response.setStatus(FormErrors.reject(ex, model).value());
        }
        model.addAttribute("captureTitle", form.title());
        model.addAttribute("captureNote", form.note());
        return "incidents/partials :: capture-form";
    }

    /** The capture form as typed, before {@link CaptureRequest} checks it. */
    private record CaptureForm(String title, String note, boolean scan, Integer windowHours) {
    }

    /** The note form, posted by htmx: answers with the timeline, and tells the charts to redraw their markers. */
    @HxRequest
    @PostMapping("/incidents/{id}/notes")
    String addNoteFromForm(@PathVariable String id, NoteRequest note, Model model, HtmxResponse htmx,
            HttpServletResponse response) {
        if (noted(id, note, model, response)) {
            htmx.addTrigger("incident-notes-changed");
        }
        model.addAttribute("incident", incidents.get(id));
        return "incidents/partials :: timeline";
    }

    @PostMapping("/incidents/{id}/notes")
    String addNote(@PathVariable String id, NoteRequest note, Model model, HttpServletResponse response) {
        if (noted(id, note, model, response)) {
            return "redirect:/incidents/" + id;
        }
        model.addAttribute("incident", incidents.get(id));
        return "incidents/partials :: timeline";
    }

    private boolean noted(String id, NoteRequest note, Model model, HttpServletResponse response) {
        try {
            incidents.addNote(id, note.at(), note.zone(), note.author(), note.text());
            return true;
        }
        catch (IllegalArgumentException | ErrorResponseException ex) {
            response.setStatus(FormErrors.reject(ex, model).value());
            model.addAttribute("form", note);
            return false;
        }
    }
}
