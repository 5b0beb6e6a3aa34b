package io.memdoctor.overview;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The overview as JSON: the same filters, groups, order and pages as the page. */
@RestController
class OverviewApiController {

    private final OverviewService overview;

    OverviewApiController(OverviewService overview) {
        this.overview = overview;
    }

    /**
     * The overview with the page's filters: {@code q} (text in name, URL or tags), {@code tag} (repeatable, all
     * required), {@code group} ({@code prefix} or a tag key), {@code show} ({@code all}, {@code attention},
     * {@code down}, {@code full}, {@code alert}), {@code page} and {@code size}.
     */
    @GetMapping("/api/overview")
    Overview overview(@RequestParam(required = false) String q, @RequestParam(required = false) List<String> tag,
            @RequestParam(required = false) String group, @RequestParam(required = false) String show,
            @RequestParam(defaultValue = "1") int page,
            @RequestParam(defaultValue = "" + OverviewQuery.DEFAULT_SIZE) int size) {
        return overview.overview(new OverviewQuery(q, tag, group, show, page, size));
    }
}
