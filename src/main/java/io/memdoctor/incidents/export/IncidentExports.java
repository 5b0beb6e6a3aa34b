package io.memdoctor.incidents.export;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Incident;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.secrets.SecretBox;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exports of incidents (json, md, csv, html) and of raw sample ranges (csv, json). Key names are redacted on
 * request; passwords never reach an export: incidents hold only redacted URLs, and every file is scrubbed once more
 * of anything shaped like a URL with credentials, whatever text carried it.
 */
@Component
public class IncidentExports {

    /** The formats of an incident export. */
    public static final List<String> FORMATS = List.of("json", "md", "csv", "html");

    private static final Pattern CREDENTIAL_URL = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.-]*://)([^\\s/@:\"'<>]*):(?!\\*\\*\\*@)([^\\s@/\"'<>]+)@");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm'Z'")
            .withZone(ZoneOffset.UTC);

    private final IncidentDocuments documents;
    private final MarkdownExport markdown;
    private final HtmlExport html;
    private final JsonMapper json;
    private final Clock clock;
    private final SecretBox secrets;

    IncidentExports(IncidentDocuments documents, ITemplateEngine templates, JsonMapper json, Clock clock,
            SecretBox secrets) {
        this.documents = documents;
        this.markdown = new MarkdownExport(json);
        this.html = new HtmlExport(templates, json);
        this.json = json;
        this.clock = clock;
        this.secrets = secrets;
    }

    /**
     * An incident as a file.
     *
     * @param format json, md, csv or html
     * @param redactKeys whether id-like parts of key names become hashes
     * @param table for csv: {@code samples} (default; every node's, with a {@code node} column, for a cluster),
     *     {@code keys}, {@code patterns}, {@code rdb-keys}, {@code rdb-patterns} or {@code nodes} (a cluster's
     *     nodes as captured)
     * @throws IllegalArgumentException for an unknown format or table (400)
     */
    public ExportFile export(Incident incident, String format, boolean redactKeys, String table) {
        String chosen = format == null ? "json" : format.toLowerCase(Locale.ROOT);
        Incident shown = redactKeys ? new KeyRedactor(secrets.derive(KeyRedactor.KEY_LABEL)).incident(incident) : incident;
        String name = "incident-" + incident.instanceId() + "-" + FILE_TIME.format(incident.capturedAt());
        return switch (chosen) {
            case "json" -> file(new String(documents.write(shown, redactKeys), StandardCharsets.UTF_8),
                    "application/json", name + ".json");
            case "md" -> file(markdown.render(shown, redactKeys), "text/markdown", name + ".md");
            case "html" -> file(html.render(shown, redactKeys, clock.instant()), "text/html", name + ".html");
            case "csv" -> csv(shown, table, name);
            default -> throw new IllegalArgumentException("format must be one of " + String.join(", ", FORMATS));
        };
    }

    private ExportFile csv(Incident incident, String table, String name) {
        Capture capture = incident.capture();
        ScanResults rdb = capture.rdb() == null ? null : capture.rdb().results();
        ScanResults scanned = capture.scan() == null ? null : capture.scan().results();
        // keys and patterns: the live scan's, or the RDB file's when the incident has no scan results (as before
        // an incident could hold both); rdb-keys and rdb-patterns: the file's
        ScanResults results = scanned != null ? scanned : rdb;
        String chosen = table == null || table.isBlank() ? "samples" : table;
        return switch (chosen) {
            case "samples" -> file(CsvExport.samples(capture), "text/csv", name + ".csv");
            case "keys" -> file(CsvExport.keys(results), "text/csv", name + "-keys.csv");
            case "patterns" -> file(CsvExport.patterns(results), "text/csv", name + "-patterns.csv");
            case "rdb-keys" -> file(CsvExport.keys(rdb), "text/csv", name + "-rdb-keys.csv");
            case "rdb-patterns" -> file(CsvExport.patterns(rdb), "text/csv", name + "-rdb-patterns.csv");
            case "nodes" -> file(CsvExport.nodes(capture.nodes()), "text/csv", name + "-nodes.csv");
            default -> throw new IllegalArgumentException(
                    "table must be samples, keys, patterns, rdb-keys, rdb-patterns or nodes");
        };
    }

    /**
     * Samples of a range without an incident.
     *
     * @param samples as the snapshots API answers them
     * @param format csv or json
     */
    public ExportFile samples(String instanceId, Instant from, Instant to, List<Map<String, Object>> samples,
            String format) {
        String name = "samples-" + instanceId + "-" + FILE_TIME.format(from) + "-" + FILE_TIME.format(to);
        String chosen = format == null ? "csv" : format.toLowerCase(Locale.ROOT);
        return switch (chosen) {
            case "csv" -> file(CsvExport.samples(samples), "text/csv", name + ".csv");
            case "json" -> file(json.writeValueAsString(samples), "application/json", name + ".json");
            default -> throw new IllegalArgumentException("format must be csv or json");
        };
    }

    private static ExportFile file(String text, String type, String filename) {
        String scrubbed = CREDENTIAL_URL.matcher(text).replaceAll("$1$2:***@");
        return new ExportFile(scrubbed.getBytes(StandardCharsets.UTF_8), type + ";charset=UTF-8", filename);
    }
}
