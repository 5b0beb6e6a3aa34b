package io.memdoctor.incidents.export;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentNote;
import io.memdoctor.incidents.NodeCapture;
import io.memdoctor.incidents.ScanAttachment;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.scans.engine.ScanResults;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON exports and their import: writes the complete record, and reads one back only when it is whole, of a
 * version this dashboard knows, and within sizes it can show. Every refusal says what is wrong in words fit for
 * the person who chose the file.
 */
@Component
public class IncidentDocuments {

    /** Largest file an import takes: a 2,000-sample window with a full capture is a few MB. */
    public static final int MAX_BYTES = 20 * 1024 * 1024;
    static final int MAX_SAMPLES = 20_000;
    static final int MAX_NOTES = 5_000;
    static final int MAX_TEXT = 4_000;

    private final JsonMapper json;
    private final JsonMapper strict;
    private final Clock clock;

    IncidentDocuments(JsonMapper json, Clock clock) {
        this.json = json;
        this.strict = json.rebuild().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        this.clock = clock;
    }

    /** The export, pretty-printed so a person can read it too. */
    public byte[] write(Incident incident, boolean keysRedacted) {
        return json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(IncidentDocument.of(incident, clock.instant(), keysRedacted));
    }

    /**
     * Reads an export.
     *
     * @throws IllegalArgumentException naming what is wrong: not JSON, truncated, another schema or version, a
     *     missing or oversized field
     */
    public Incident read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new IllegalArgumentException("The file is empty: choose the .json file an incident export gave.");
        }
        if (body.length > MAX_BYTES) {
            throw new IllegalArgumentException("The file is larger than " + MAX_BYTES / (1024 * 1024) + " MB.");
        }
        Map<?, ?> head;
        try {
            head = strict.readValue(body, Map.class);
        }
        catch (JacksonException ex) {
            String where = ex.getLocation() == null ? "" : " (line " + ex.getLocation().getLineNr() + ", column "
                    + ex.getLocation().getColumnNr() + ")";
            throw new IllegalArgumentException("The file is not complete, valid JSON" + where
                    + ": it may be truncated. Export the incident again.");
        }
        if (!IncidentDocument.SCHEMA.equals(head.get("schema"))) {
            throw new IllegalArgumentException("The file is not an incident export of Redis Memory Doctor (its"
                    + " \"schema\" must be \"" + IncidentDocument.SCHEMA + "\").");
        }
        ImportBounds.check(head);
        if (!(head.get("schemaVersion") instanceof Integer version) || version != IncidentDocument.VERSION) {
            throw new IllegalArgumentException("The file's schemaVersion is " + head.get("schemaVersion")
                    + "; this dashboard reads version " + IncidentDocument.VERSION
                    + ". Export it from a dashboard of the same version, or upgrade this one.");
        }
        IncidentDocument document;
        try {
            document = strict.readValue(body, IncidentDocument.class);
        }
        catch (JacksonException | IllegalArgumentException | NullPointerException ex) {
            throw new IllegalArgumentException("The file has the right schema but a field of the wrong shape"
                    + (ex instanceof JacksonException j ? path(j) : "") + ".");
        }
        return validate(document);
    }

    /** Where a field went wrong, as a reader of the file names it: {@code capture.samples[3].timestamp}. */
    private static String path(JacksonException ex) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "" : " at " + out;
    }

    private static Incident validate(IncidentDocument d) {
        require(d.title() != null && !d.title().isBlank(), "title");
        require(d.instanceName() != null && !d.instanceName().isBlank(), "instanceName");
        require(d.instanceId() != null, "instanceId");
        require(d.instanceUrl() != null, "instanceUrl");
        require(d.capturedAt() != null, "capturedAt");
        require(d.windowFrom() != null && d.windowTo() != null, "windowFrom and windowTo");
        require(d.capture() != null, "capture");
        if (!d.windowFrom().isBefore(d.windowTo())) {
            throw new IllegalArgumentException("windowFrom must be before windowTo.");
        }
        try {
            InstanceId.of(d.instanceId());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("instanceId is not an instance id.");
        }
        RedisUrl url;
        try {
            url = RedisUrl.of(d.instanceUrl());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("instanceUrl is not a redis:// URL.");
        }
        if (url.hasPassword() && !"***".equals(url.password())) {
            // an export never carries one; a hand-made file that does is refused rather than stored
            throw new IllegalArgumentException("instanceUrl carries a password; exports never do. Remove it.");
        }
        limit(d.title(), 200, "title");
        limit(d.instanceName(), 200, "instanceName");
        limit(d.note(), MAX_TEXT, "note");
        limit(d.source(), 400, "source");
        limit(d.instanceUrl(), 600, "instanceUrl");
        Capture capture = d.capture();
        limits(capture.scan(), "capture.scan");
        limits(capture.rdb(), "capture.rdb");
        List<Map<String, Object>> samples = new java.util.ArrayList<>(capture.samples());
        for (NodeCapture node : capture.nodes()) {
            if (node == null || node.address() == null || node.role() == null || node.instanceId() == null
                    || node.status() == null) {
                throw new IllegalArgumentException("Every node needs its address, role, instanceId and status.");
            }
            limit(node.address(), 300, "a node's address");
            if (node.facts().values().stream().anyMatch(f -> f == null || f.command() == null)) {
                throw new IllegalArgumentException("Every fact of a node needs its command.");
            }
            samples.addAll(node.samples());
        }
        if (samples.size() > MAX_SAMPLES) {
            throw new IllegalArgumentException("The file holds more than " + MAX_SAMPLES + " samples.");
        }
        for (Map<String, Object> sample : samples) {
            if (sample == null || !(sample.get("timestamp") instanceof String at) || !isInstant(at)
                    || !(sample.get("status") instanceof String)) {
                throw new IllegalArgumentException("Every sample needs an ISO-8601 timestamp and a status.");
            }
        }
        if (capture.facts().values().stream().anyMatch(f -> f == null || f.command() == null)) {
            throw new IllegalArgumentException("Every fact needs its command.");
        }
        for (ScanAttachment report : java.util.Arrays.asList(capture.scan(), capture.rdb())) {
            if (report != null && report.results() != null && !complete(report.results())) {
                throw new IllegalArgumentException("The " + (report.rdb() == null ? "scan" : "RDB file's")
                        + " results are incomplete (top keys, patterns and totals are needed, and every key needs"
                        + " a name).");
            }
        }
        List<IncidentNote> notes = d.notes() == null ? List.of() : d.notes();
        if (notes.size() > MAX_NOTES) {
            throw new IllegalArgumentException("The file holds more than " + MAX_NOTES + " notes.");
        }
        for (IncidentNote note : notes) {
            if (note == null || note.at() == null || note.text() == null || note.text().isBlank()) {
                throw new IllegalArgumentException("Every note needs a time (at) and a text.");
            }
            limit(note.text(), 2000, "a note's text");
            limit(note.author(), 100, "a note's author");
        }
        return d.toIncident();
    }

    private static void limits(ScanAttachment report, String field) {
        if (report == null) {
            return;
        }
        limit(report.scanId(), 36, field + ".scanId");
        if (report.rdb() != null) {
            limit(report.rdb().name(), 1000, field + ".rdb.name");
            limit(report.rdb().redisVersion(), 100, field + ".rdb.redisVersion");
        }
    }

    private static boolean isInstant(String text) {
        try {
            Instant.parse(text);
            return true;
        }
        catch (DateTimeParseException ex) {
            return false;
        }
    }

    private static boolean complete(ScanResults r) {
        return r.topKeys() != null && r.patterns() != null && r.biggestByType() != null && r.byType() != null
                && r.ttl() != null && r.topKeys().stream().allMatch(k -> k != null && k.key() != null && k.type() != null)
                && r.patterns().stream().allMatch(p -> p != null && p.pattern() != null)
                && r.biggestByType().values().stream().allMatch(b -> b != null);
    }

    private static void require(boolean present, String field) {
        if (!present) {
            throw new IllegalArgumentException("The file has no " + field + ": it is not a complete incident export.");
        }
    }

    private static void limit(String text, int max, String field) {
        if (text != null && text.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max + " characters.");
        }
    }
}
