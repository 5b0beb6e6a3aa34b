package io.memdoctor.incidents.export;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentNote;

/**
 * The JSON export of an incident, and what an import reads back: the complete record under a schema name and
 * version. A dashboard refuses a version it does not know rather than guessing.
 *
 * @param schema always {@value #SCHEMA}
 * @param schemaVersion {@value #VERSION} for this layout
 * @param exportedAt when the file was written
 * @param keysRedacted whether key names were exported with {@code redactKeys=true}
 * @param id the incident's id where it was exported
 * @param instanceId the instance's id there
 * @param instanceName its display name
 * @param instanceUrl its URL, password redacted
 * @param title the incident's title
 * @param note what was known when it was captured
 * @param capturedAt when it was captured
 * @param windowFrom start of the history window
 * @param windowTo end of the history window
 * @param imported whether it was itself an import
 * @param source where an imported incident came from
 * @param capture everything captured
 * @param notes the timeline
 */
@JsonPropertyOrder({"schema", "schemaVersion", "exportedAt", "keysRedacted", "id"})
public record IncidentDocument(String schema, Integer schemaVersion, Instant exportedAt, Boolean keysRedacted,
        String id, String instanceId, String instanceName, String instanceUrl, String title, String note,
        Instant capturedAt, Instant windowFrom, Instant windowTo, Boolean imported, String source, Capture capture,
        List<IncidentNote> notes) {

    public static final String SCHEMA = "redis-memory-doctor/incident";
    public static final int VERSION = 1;

    static IncidentDocument of(Incident incident, Instant exportedAt, boolean keysRedacted) {
        return new IncidentDocument(SCHEMA, VERSION, exportedAt, keysRedacted, incident.id(), incident.instanceId(),
                incident.instanceName(), incident.instanceUrl(), incident.title(), incident.note(),
                incident.capturedAt(), incident.windowFrom(), incident.windowTo(), incident.imported(),
                incident.source(), incident.capture(), incident.notes());
    }

    Incident toIncident() {
        return new Incident(id, instanceId, instanceName, instanceUrl, title, note, capturedAt, windowFrom, windowTo,
                Boolean.TRUE.equals(imported), source, capture, notes);
    }
}
