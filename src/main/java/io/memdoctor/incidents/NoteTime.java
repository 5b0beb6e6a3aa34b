package io.memdoctor.incidents;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * When a note's event happened, as people type it while they work: nothing (now), {@code 14:02} or
 * {@code 14:02:30} on the capture's day in the writer's zone, a local date-time ({@code 2026-11-24T14:02}), or an
 * ISO instant with an offset. A bare time more than 12 hours after the capture is taken to be the day before
 * (someone noting, just after midnight, what happened at 23:50).
 */
final class NoteTime {

    private NoteTime() {
    }

    /**
     * @param text what was typed, may be blank
     * @param zone the writer's zone (IANA id or offset); UTC when blank
     * @param capturedAt the incident's capture time, which a bare time is placed near
     * @param now the current time, for a blank {@code text}
     * @throws IllegalArgumentException with a message fit for the writer
     */
    static Instant parse(String text, String zone, Instant capturedAt, Instant now) {
        if (text == null || text.isBlank()) {
            return now;
        }
        String value = text.strip();
        ZoneId zoneId = zone(zone);
        try {
            if (value.matches("\\d{1,2}:\\d{2}(:\\d{2})?")) {
                LocalTime time = LocalTime.parse(value.indexOf(':') == 1 ? "0" + value : value);
                ZonedDateTime candidate = capturedAt.atZone(zoneId).with(time);
                if (Duration.between(capturedAt, candidate.toInstant()).compareTo(Duration.ofHours(12)) > 0) {
                    candidate = candidate.minusDays(1);
                }
                return candidate.toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).atZone(zoneId).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("'at' must be a time such as 14:02, or an ISO date-time such as "
                    + "2026-11-24T14:02:00Z");
        }
    }

    private static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone.strip());
        }
        catch (DateTimeException ex) {
            throw new IllegalArgumentException("'zone' must be a time zone such as Europe/Paris or +02:00");
        }
    }
}
