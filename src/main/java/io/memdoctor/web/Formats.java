package io.memdoctor.web;

import java.time.Instant;

import io.memdoctor.format.Units;
import org.springframework.stereotype.Component;

/**
 * {@link Units} for templates, as {@code ${@fmt.bytes(x)}}; code calls {@link Units} directly.
 */
@Component("fmt")
public class Formats {

    public String bytes(Number value) {
        return Units.bytes(value);
    }

    public String ratio(Number value) {
        return Units.ratio(value);
    }

    public String count(Number value) {
        return Units.count(value);
    }

    /** A percentage of {@code part} in {@code whole}, 0..100, or {@code null} when there is no whole (bar widths). */
    public Double percent(Number part, Number whole) {
        if (part == null || whole == null || whole.doubleValue() <= 0) {
            return null;
        }
        return Math.min(100.0, 100.0 * part.doubleValue() / whole.doubleValue());
    }

    /** The fallback text of {@code <time>} elements. */
    public String utc(Instant instant) {
        return Units.utc(instant);
    }

    /** How long ago {@code instant} was, "7 min", "2 h 5 min" (the page refreshes itself); empty without one. */
    public String ago(Instant instant) {
        return instant == null ? "" : Units.span(java.time.Duration.between(instant, Instant.now()).toSeconds());
    }

    /** An instant as ISO-8601, for {@code datetime} attributes. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
