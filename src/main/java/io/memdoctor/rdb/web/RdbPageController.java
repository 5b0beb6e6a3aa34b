package io.memdoctor.rdb.web;

import java.io.IOException;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HtmxRequest;
import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.rdb.RdbRecord;
import io.memdoctor.rdb.RdbRejectedException;
import io.memdoctor.rdb.RdbService;
import io.memdoctor.scans.KeyAdvice;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The RDB pages: upload a file or pick one of the server directory, past analyses, and one analysis (a progress
 * bar that polls itself, then the report in the scan's layout).
 */
@Controller
class RdbPageController {

    private final RdbService rdb;

    RdbPageController(RdbService rdb) {
        this.rdb = rdb;
    }

    @GetMapping("/rdb")
    String page(Model model, HttpServletRequest request, HttpServletResponse response) {
        model.addAttribute("analyses", rdb.list());
        if (HtmxRequest.fromRequest(request).isHtmxRequest()) {
            return "rdb/partials :: history";
        }
        model.addAttribute("directory", rdb.directoryConfigured());
        model.addAttribute("files", rdb.files());
        return "rdb/page";
    }

    /** The upload form, posted by htmx as multipart (read as a stream, see {@link MultipartBody}). */
    @PostMapping("/rdb")
    String upload(HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
        try {
            MultipartBody body = MultipartBody.open(request.getInputStream(), request.getContentType());
            return started(rdb.upload(body.part(), body.filename()), request, response);
        }
        catch (RdbRejectedException e) {
            response.setStatus(e.getStatusCode().value());
            model.addAttribute("error", e.getBody().getDetail());
            return "rdb/partials :: upload-form";
        }
    }

    @PostMapping("/rdb/file")
    String analyseFile(@RequestParam(required = false) String file, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        try {
            return started(rdb.analyseFile(file), request, response);
        }
        catch (RdbRejectedException e) {
            response.setStatus(e.getStatusCode().value());
            model.addAttribute("error", e.getBody().getDetail());
            model.addAttribute("directory", rdb.directoryConfigured());
            model.addAttribute("files", rdb.files());
            return "rdb/partials :: file-form";
        }
    }

    private static String started(RdbRecord analysis, HttpServletRequest request, HttpServletResponse response) {
        String target = "/rdb/" + analysis.id();
        if (HtmxRequest.fromRequest(request).isHtmxRequest()) {
            response.setHeader("HX-Redirect", request.getContextPath() + target);
            return "rdb/partials :: nothing";
        }
        return "redirect:" + target;
    }

    /** One analysis; htmx polls the progress fragment, and the answer after the end reloads the page. */
    @GetMapping("/rdb/{id}")
    String analysis(@PathVariable String id, Model model, HttpServletRequest request, HttpServletResponse response) {
        RdbRecord analysis = rdb.get(id);
        model.addAttribute("analysis", analysis);
        if (HtmxRequest.fromRequest(request).isHtmxRequest()) {
            if (!analysis.running()) {
                response.setHeader("HX-Refresh", "true");
            }
            return "rdb/partials :: progress";
        }
        if (analysis.report() != null) {
            // the fixes of a scan; the file names no server, so the commands reach the local default one, in
            // the key's database: the page says to add -h and -p
            model.addAttribute("topKeys", KeyAdvice.rows(analysis.report().results().topKeys(),
                    RedisCliCommand.local()));
        }
        return "rdb/report";
    }
}
