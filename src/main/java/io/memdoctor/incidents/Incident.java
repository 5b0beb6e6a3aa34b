package io.memdoctor.incidents;

import java.time.Instant;
import java.util.List;

/**
 * A captured (or imported) incident.
 *
 * @param id its id (a UUID)
 * @param instanceId the instance it was captured on
 * @param instanceName that instance's display name
 * @param instanceUrl the instance's URL with the password redacted; never the password
 * @param title a one-line title
 * @param note what the person capturing it knew, may be {@code null}
 * @param capturedAt when it was captured
 * @param windowFrom start of the history window
 * @param windowTo end of the history window
 * @param imported true for a read-only copy of another dashboard's export
 * @param source where an imported incident came from, {@code null} for a local capture
 * @param capture the frozen facts
 * @param notes the timeline, in time order
 */
public record Incident(String id, String instanceId, String instanceName, String instanceUrl, String title,
        String note, Instant capturedAt, Instant windowFrom, Instant windowTo, boolean imported, String source,
        Capture capture, List<IncidentNote> notes) {

    public Incident {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public Incident withNotes(List<IncidentNote> timeline) {
        return new Incident(id, instanceId, instanceName, instanceUrl, title, note, capturedAt, windowFrom, windowTo,
                imported, source, capture, timeline);
    }

    public Incident withCapture(Capture frozen) {
        return new Incident(id, instanceId, instanceName, instanceUrl, title, note, capturedAt, windowFrom, windowTo,
                imported, source, frozen, notes);
    }
}
