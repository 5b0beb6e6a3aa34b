package io.memdoctor.format;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Human units, one spelling for pages, check evidence, diagnoses and exports: bytes in binary units, ratios with two
 * decimals, times in UTC (pages rewrite {@code <time>} elements into the viewer's zone; a postmortem is read
 * everywhere), sizes as redis.conf spells them. Plain static code, so rules do not need the template bean.
 */
public final class Units {

    public static final long MB = 1024L * 1024;
    public static final long GB = 1024 * MB;

    private static final String DASH = "—";
    private static final String[] BYTE_UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Units() {
    }

    /** 1536 as "1.5 KB", {@code null} as an em dash. */
    public static String bytes(Number value) {
        if (value == null) {
            return DASH;
        }
        double bytes = value.doubleValue();
        int unit = 0;
        while (Math.abs(bytes) >= 1024 && unit < BYTE_UNITS.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%d B", value.longValue())
                : String.format(Locale.ROOT, bytes >= 100 ? "%.0f %s" : "%.1f %s", bytes, BYTE_UNITS[unit]);
    }

    /** As {@link #bytes}, with a negative value (the "not measured" marker) as an em dash. */
    public static String bytesOrDash(Number value) {
        return value == null || value.longValue() < 0 ? DASH : bytes(value);
    }

    /** A ratio with two decimals. */
    public static String ratio(Number value) {
        return value == null ? DASH : String.format(Locale.ROOT, "%.2f", value.doubleValue());
    }

    /** A share of 0..1 as a percentage: one decimal below 0.1 %, none above. */
    public static String percent(double share) {
        return String.format(Locale.ROOT, share < 0.1 && share > 0 ? "%.1f%%" : "%.0f%%", share * 100);
    }

    /** A count with thousands separators. */
    public static String count(Number value) {
        return value == null ? DASH : String.format(Locale.ROOT, "%,d", value.longValue());
    }

    /** An instant in UTC. */
    public static String utc(Instant instant) {
        return instant == null ? DASH : UTC.format(instant);
    }

    /** A size as redis.conf and CONFIG SET accept it: whole gigabytes from 4 GB up, else megabytes. */
    public static String conf(long bytes) {
        if (bytes >= 4 * GB) {
            return (bytes / GB) + "gb";
        }
        return Math.max(1, bytes / MB) + "mb";
    }

    /** "3 h 20 min", "45 s". */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 120) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 120) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        return hours < 48 ? hours + " h " + (minutes % 60) + " min" : (hours / 24) + " days " + (hours % 24) + " h";
    }

    /** A span in its two largest units, as people say it: "3 h 20 min", "2 d 4 h", "7 min", "45 s". */
    public static String span(long seconds) {
        long s = Math.max(0, seconds);
        long days = s / 86_400;
        long hours = s % 86_400 / 3600;
        long minutes = s % 3600 / 60;
        if (days > 0) {
            return days + " d" + (hours > 0 ? " " + hours + " h" : "");
        }
        if (hours > 0) {
            return hours + " h" + (minutes > 0 ? " " + minutes + " min" : "");
        }
        return minutes > 0 ? minutes + " min" : s + " s";
    }

    /** A key's time to live, rounded down to its largest unit; "none" without one. */
    public static String ttl(long seconds) {
        if (seconds < 0) {
            return "none";
        }
        return seconds >= 86400 ? seconds / 86400 + " d" : seconds >= 3600 ? seconds / 3600 + " h"
                : seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
    }
}
