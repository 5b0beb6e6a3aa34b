package io.memdoctor.incidents.web;

import java.io.IOException;

import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentService;
import io.memdoctor.incidents.export.IncidentDocuments;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** The incidents list, and its form that imports another dashboard's JSON export as a read-only incident. */
@Controller
class IncidentListController {

    private final IncidentService incidents;
    private final IncidentDocuments documents;

    IncidentListController(IncidentService incidents, IncidentDocuments documents) {
        this.incidents = incidents;
        this.documents = documents;
    }

    @GetMapping("/incidents")
    String list(Model model) {
        model.addAttribute("incidents", incidents.list().stream().map(IncidentSummary::of).toList());
        return "incidents/list";
    }

    /** A broken file comes back on the list with what is wrong with it (400), and nothing is stored. */
    @PostMapping("/incidents/import")
    String importFile(@RequestParam(required = false) MultipartFile file, Model model, HttpServletResponse response)
            throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new IllegalArgumentException("Choose the .json file of an incident export.");
            }
            String name = file.getOriginalFilename() == null ? "a file" : file.getOriginalFilename();
            Incident incident = incidents.importIncident(documents.read(file.getBytes()),
                    "imported from " + (name.length() > 120 ? name.substring(0, 120) : name));
            return "redirect:/incidents/" + incident.id();
        }
        catch (IllegalArgumentException ex) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("importError", ex.getMessage());
        }
        return list(model);
    }
}
