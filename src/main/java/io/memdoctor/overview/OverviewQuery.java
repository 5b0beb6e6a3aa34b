package io.memdoctor.overview;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.memdoctor.instances.InstanceTags;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the overview shows: a text filter, tags (all required), a grouping, which cards ({@code show}) and the page.
 * Bound from the query string of {@code /} and {@code /api/overview}; a bad value is a 400 with a readable message.
 *
 * @param q text found in the name, URL or a tag (case-insensitive), or empty
 * @param tag tags every instance shown carries ({@code env:prod}), repeatable
 * @param group {@code prefix} (the name up to its first {@code - _ . : /}), a tag key ({@code env}), or empty
 * @param show {@code all}, {@code attention} (down, near full or alert), {@code down}, {@code full} or {@code alert}
 * @param page 1-based page number
 * @param size cards per page, 1 to {@value #MAX_SIZE}
 */
public record OverviewQuery(String q, List<String> tag, String group, String show, int page, int size) {

    public static final int DEFAULT_SIZE = 60;
    public static final int MAX_SIZE = 500;
    static final List<String> SHOWS = List.of("all", "attention", "down", "full", "alert");

    public OverviewQuery {
        q = q == null ? "" : q.strip();
        if (q.length() > 200) {
            throw new IllegalArgumentException("q must be at most 200 characters");
        }
        tag = InstanceTags.valid(tag == null ? List.of() : new ArrayList<>(tag));
        group = group == null || group.isBlank() ? "" : InstanceTags.valid(group.strip());
        show = show == null || show.isBlank() ? "all" : show.strip().toLowerCase(Locale.ROOT);
        if (!SHOWS.contains(show)) {
            throw new IllegalArgumentException("show must be one of " + String.join(", ", SHOWS));
        }
        if (page < 1) {
            throw new IllegalArgumentException("page must be 1 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
        }
    }

    static OverviewQuery all() {
        return new OverviewQuery("", List.of(), "", "all", 1, DEFAULT_SIZE);
    }

    /** Whether a card passes {@code show}. */
    boolean shows(Attention attention) {
        return switch (show) {
            case "attention" -> attention.needed();
            case "down" -> attention == Attention.DOWN;
            case "full" -> attention == Attention.FULL;
            case "alert" -> attention == Attention.ALERT;
            default -> true;
        };
    }

    /** This query with another {@code show}, from page 1. */
    public String withShow(String other) {
        return url(q, tag, group, other, 1);
    }

    /** This query on another page. */
    public String onPage(int other) {
        return url(q, tag, group, show, other);
    }

    /** This query's own URL (the cards' refresh asks it again). */
    public String url() {
        return url(q, tag, group, show, page);
    }

    private String url(String text, List<String> tags, String grouping, String shown, int pageNumber) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/");
        if (!text.isEmpty()) {
            uri.queryParam("q", text);
        }
        tags.forEach(t -> uri.queryParam("tag", t));
        if (!grouping.isEmpty()) {
            uri.queryParam("group", grouping);
        }
        if (!"all".equals(shown)) {
            uri.queryParam("show", shown);
        }
        if (pageNumber > 1) {
            uri.queryParam("page", pageNumber);
        }
        if (size != DEFAULT_SIZE) {
            uri.queryParam("size", size);
        }
        return uri.encode().build().toUriString();
    }
}
