package io.memdoctor.incidents.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.memdoctor.format.Units;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentNote;

/**
 * What happened in an incident's window, for the postmortem: the capture, the notes people wrote, and what the
 * samples show (outages starting and ending, forks, the peak of used memory), in time order.
 */
final class Timeline {

    /**
     * One event.
     *
     * @param at when
     * @param kind {@code note}, {@code capture} or {@code sample}
     * @param text what happened (a note as written: escape it where it is shown)
     */
    record Event(Instant at, String kind, String text) {
    }

    private Timeline() {
    }

    static List<Event> of(Incident incident) {
        List<Event> events = new ArrayList<>();
        events.add(new Event(incident.capturedAt(), "capture", "Incident captured: " + incident.title()));
        for (IncidentNote note : incident.notes()) {
            events.add(new Event(note.at(), "note", note.author() == null ? note.text()
                    : note.author() + ": " + note.text()));
        }
        List<Map<String, Object>> samples = incident.capture().samples();
        Map<String, Object> previous = null;
        Map<String, Object> peak = null;
        for (Map<String, Object> sample : samples) {
            boolean ok = "OK".equals(sample.get("status"));
            if (previous != null) {
                boolean wasOk = "OK".equals(previous.get("status"));
                if (wasOk && !ok) {
                    events.add(event(sample, "Redis stopped answering (" + sample.getOrDefault("status", "?")
                            + (sample.get("error") == null ? "" : ": " + sample.get("error")) + ")"));
                }
                else if (!wasOk && ok) {
                    events.add(event(sample, "Redis answered again"));
                }
                else if (ok && number(sample, "totalForks") > number(previous, "totalForks")
                        && number(previous, "totalForks") >= 0) {
                    events.add(event(sample, "Fork (BGSAVE or AOF rewrite) since the previous sample"));
                }
            }
            if (ok && (peak == null || number(sample, "usedMemory") > number(peak, "usedMemory"))) {
                peak = sample;
            }
            previous = sample;
        }
        if (peak != null) {
            events.add(event(peak, "Peak used_memory of the window: " + Units.bytesOrDash(number(peak, "usedMemory"))
                    + " (RSS " + Units.bytesOrDash(number(peak, "usedMemoryRss")) + ")"));
        }
        events.sort(Comparator.comparing(Event::at));
        return events;
    }

    private static Event event(Map<String, Object> sample, String text) {
        return new Event(Instant.parse((String) sample.get("timestamp")), "sample", text);
    }

    static long number(Map<String, Object> sample, String field) {
        return sample.get(field) instanceof Number n ? n.longValue() : -1;
    }
}
