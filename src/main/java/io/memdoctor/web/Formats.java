package io.memdoctor.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Human units for templates, as {@code ${@fmt.bytes(x)}}: bytes as KB/MB/GB, ratios with two decimals, times in
 * UTC (the browser rewrites {@code <time>} elements into the viewer's zone).
 */
@Component("fmt")
public class Formats {

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** 1536 as "1.5 KB" (binary units), {@code null} as an em dash. */
    public String bytes(Number value) {
        if (value == null) {
            return "—";
        }
        double bytes = value.doubleValue();
        int unit = 0;
        while (Math.abs(bytes) >= 1024 && unit < UNITS.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%d B", value.longValue())
                : String.format(Locale.ROOT, bytes >= 100 ? "%.0f %s" : "%.1f %s", bytes, UNITS[unit]);
    }

    /** A ratio with two decimals. */
    public String ratio(Number value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.2f", value.doubleValue());
    }

    /** A count with thousands separators. */
    public String count(Number value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%,d", value.longValue());
    }

    /** A percentage of {@code part} in {@code whole}, 0..100, or {@code null} when there is no whole. */
    public Double percent(Number part, Number whole) {
        if (part == null || whole == null || whole.doubleValue() <= 0) {
            return null;
        }
        return Math.min(100.0, 100.0 * part.doubleValue() / whole.doubleValue());
    }

    /** An instant in UTC, the fallback text of {@code <time>} elements. */
    public String utc(Instant instant) {
        return instant == null ? "—" : UTC.format(instant);
    }

    /** An instant as ISO-8601, for {@code datetime} attributes. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
