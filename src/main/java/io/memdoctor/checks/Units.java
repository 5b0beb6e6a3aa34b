package io.memdoctor.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.memdoctor.web.Formats;

/** Human units for evidence, the same as on the pages, and sizes as redis.conf spells them. */
final class Units {

    private static final Formats FORMATS = new Formats();
    static final long MB = 1024L * 1024;
    static final long GB = 1024 * MB;

    private Units() {
    }

    static String bytes(Number value) {
        return FORMATS.bytes(value);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, share < 0.1 && share > 0 ? "%.1f%%" : "%.0f%%", share * 100);
    }

    static String count(Number value) {
        return FORMATS.count(value);
    }

    static String utc(Instant instant) {
        return FORMATS.utc(instant);
    }

    /** A size as redis.conf and CONFIG SET accept it: whole gigabytes from 4 GB up, else megabytes. */
    static String conf(long bytes) {
        if (bytes >= 4 * GB) {
            return (bytes / GB) + "gb";
        }
        return Math.max(1, bytes / MB) + "mb";
    }

    /** "3 h 20 min", "45 s". */
    static String duration(Duration duration) {
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
}
