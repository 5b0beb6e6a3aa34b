package io.memdoctor.incidents;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.memdoctor.incidents.store.IncidentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Incidents once captured ({@link IncidentCapture} takes them): read them, add notes to their timeline, import
 * another dashboard's export, delete them. The API and the pages both call this.
 */
@Service
public class IncidentService {

    static final int MAX_NOTE_TEXT = 2000;
    static final int MAX_AUTHOR = 100;
    static final int MAX_NOTES = 500;
    static final int LIST_LIMIT = 200;

    private static final Logger log = LoggerFactory.getLogger(IncidentService.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final IncidentRepository repository;
    private final Clock clock;

    IncidentService(IncidentRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** An incident with its notes. */
    public Incident get(String id) {
        return repository.find(validId(id)).orElseThrow(() -> new IncidentNotFoundException(id));
    }

    /** The newest incidents, newest first. */
    public List<IncidentRepository.Listed> list() {
        return repository.list(LIST_LIMIT);
    }

    /**
     * Adds a note to the timeline.
     *
     * @param at when it happened: blank for now, {@code 14:02}, or ISO (see {@link NoteTime})
     * @param zone the writer's time zone for a bare time, UTC when blank
     * @throws IllegalArgumentException for an empty or too long text, or a time that cannot be read (400)
     * @throws IncidentReadOnlyException for an imported incident (409)
     */
    @Transactional
    public IncidentNote addNote(String id, String at, String zone, String author, String text) {
        Incident incident = get(id);
        if (incident.imported()) {
            throw new IncidentReadOnlyException(id);
        }
        IncidentNote note = new IncidentNote(NoteTime.parse(at, zone, incident.capturedAt(), clock.instant()),
                text("author", author, MAX_AUTHOR, false), text("text", text, MAX_NOTE_TEXT, true));
        if (repository.countNotes(incident.id()) >= MAX_NOTES) {
            throw new IllegalArgumentException("an incident keeps at most " + MAX_NOTES + " notes");
        }
        repository.addNote(incident.id(), note, clock.instant());
        return note;
    }

    /**
     * Stores a validated      *
     * @param source where it came from, shown on the page
     */
    @Transactional
    public Incident importIncident(Incident exported, String source) {
        List<IncidentNote> notes = new ArrayList<>(exported.notes());
        Incident copy = new Incident(UUID.randomUUID().toString(), exported.instanceId(), exported.instanceName(),
                exported.instanceUrl(), exported.title(), exported.note(), exported.capturedAt(),
                exported.windowFrom(), exported.windowTo(), true, source, exported.capture(), notes);
        repository.insert(copy);
        log.info("Imported incident {} ({})", copy.id(), source);
        return copy;
    }

    /**
     * Deletes an incident with its notes (a capture taken by mistake, a drill). Files already exported are not
     * touched; a scan the capture started goes on and stays in the instance's scan history.
     *
     * @throws IncidentNotFoundException when there is no such incident (404)
     */
    @Transactional
    public void delete(String id) {
        if (!repository.delete(validId(id))) {
            throw new IncidentNotFoundException(id);
        }
        log.info("Deleted incident {}", id);
    }

    private static String validId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IncidentNotFoundException(id);
        }
        return id;
    }

    /** A stripped text within its limit, without control characters other than line breaks and tabs. */
    static String text(String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters");
        }
        if (stripped.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
        return stripped;
    }
}
