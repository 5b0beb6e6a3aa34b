package io.memdoctor.incidents.export;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.memdoctor.web.Formats;

/** Human units in exports, the same as on the pages; times in UTC, since a postmortem is read everywhere. */
final class Units {

    private static final Formats FORMATS = new Formats();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Units() {
    }

    static String bytes(Number value) {
        return value == null || value.longValue() < 0 ? "—" : FORMATS.bytes(value);
    }

    static String count(Number value) {
        return FORMATS.count(value);
    }

    static String ratio(Number value) {
        return FORMATS.ratio(value);
    }

    static String utc(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    static String ttl(long seconds) {
        if (seconds < 0) {
            return "none";
        }
        return seconds >= 86400 ? seconds / 86400 + " d" : seconds >= 3600 ? seconds / 3600 + " h"
                : seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
    }
}
