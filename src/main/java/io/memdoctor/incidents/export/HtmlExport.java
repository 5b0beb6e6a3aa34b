package io.memdoctor.incidents.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.memdoctor.format.Units;
import io.memdoctor.web.Formats;
import io.memdoctor.checks.CheckResult;
import io.memdoctor.incidents.Fact;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentNote;
import io.memdoctor.incidents.NodeCapture;
import io.memdoctor.incidents.ScanAttachment;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.scans.KeyAdvice;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;
import tools.jackson.databind.json.JsonMapper;

/**
 * One self-contained HTML file: inline CSS, charts as inline SVG drawn here, no script and no link to anything, so
 * it opens in any browser without network and can be attached to a ticket. Rendered by Thymeleaf from
 * {@code incidents/export.html}, which escapes every text ({@code th:text}); the only unescaped parts are the SVG
 * charts, whose texts {@link SvgChart} escapes itself.
 */
final class HtmlExport {

    private final ITemplateEngine templates;
    private final JsonMapper json;

    HtmlExport(ITemplateEngine templates, JsonMapper json) {
        this.templates = templates;
        this.json = json;
    }

    String render(Incident incident, boolean keysRedacted, Instant exportedAt) {
        Context context = new Context(Locale.ROOT);
        List<Map<String, Object>> samples = incident.capture().samples();
        List<SvgChart.Marker> markers = markers(incident);
        List<SvgChart.Series> memory = new ArrayList<>(List.of(new SvgChart.Series("usedMemory", "s-used"),
                new SvgChart.Series("usedMemoryRss", "s-rss"), new SvgChart.Series("usedMemoryDataset", "s-dataset")));
        boolean hasMax = samples.stream().anyMatch(s -> s.get("maxmemory") instanceof Number n && n.longValue() > 0);
        if (hasMax) {
            memory.add(new SvgChart.Series("maxmemory", "s-max"));
        }
        context.setVariable("hasMax", hasMax);
        Instant[] axis = axis(incident, markers);
        context.setVariable("memoryChart", SvgChart.render("Memory: used, RSS, dataset", samples,
                axis[0], axis[1], memory, markers, true, v -> Units.bytes((long) v)));
        context.setVariable("fragmentationChart", SvgChart.render("Fragmentation ratio", samples,
                axis[0], axis[1], List.of(new SvgChart.Series("memFragmentationRatio", "s-frag"),
                        new SvgChart.Series("allocatorFragRatio", "s-alloc")), markers, false,
                v -> String.format(Locale.ROOT, "%.2f", v)));
        context.setVariable("incident", incident);
        context.setVariable("keysRedacted", keysRedacted);
        context.setVariable("exportedAt", Units.utc(exportedAt));
        context.setVariable("capturedAt", Units.utc(incident.capturedAt()));
        context.setVariable("windowFrom", Units.utc(incident.windowFrom()));
        context.setVariable("windowTo", Units.utc(incident.windowTo()));
        context.setVariable("diagnosis", incident.capture().diagnosis());
        context.setVariable("failing", incident.capture().checks().stream().filter(CheckResult::actionable).toList());
        context.setVariable("otherChecks",
                incident.capture().checks().stream().filter(c -> !c.actionable()).toList());
        context.setVariable("timeline", Timeline.of(incident).stream()
                .map(e -> Map.of("at", Units.utc(e.at()), "kind", e.kind(), "text", e.text())).toList());
        context.setVariable("notes", numbered(incident.notes()));
        context.setVariable("sampleCount", samples.size());
        context.setVariable("scan", incident.capture().scan());
        context.setVariable("scanReport", report(incident.capture().scan(), cli(incident, keysRedacted)));
        context.setVariable("rdb", incident.capture().rdb());
        context.setVariable("rdbReport", report(incident.capture().rdb(), cli(incident, keysRedacted)));
        NodeCapture shard = NodeCapture.mostSerious(incident.capture().nodes());
        context.setVariable("chartShard", shard == null ? null : shard.label());
        context.setVariable("facts", facts(incident.capture().facts()));
        context.setVariable("nodes", incident.capture().nodes().stream().map(n -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", n);
            row.put("failing", n.checks().stream().filter(CheckResult::actionable).toList());
            row.put("facts", facts(n.facts()));
            return row;
        }).toList());
        context.setVariable("fmt", new Formats());
        return templates.process("incidents/export", context);
    }

    /**
     * The time axis, as the page's charts draw it: the window, starting at the first sample when the history is
     * younger than the window (or the data would be a sliver at its right edge), widened to show the notes' markers
     * up to half the window after its end.
     */
    static Instant[] axis(Incident incident, List<SvgChart.Marker> markers) {
        long from = incident.windowFrom().toEpochMilli();
        long to = incident.windowTo().toEpochMilli();
        List<Map<String, Object>> samples = incident.capture().samples();
        long start = from;
        if (!samples.isEmpty()) {
            long first = Instant.parse((String) samples.get(0).get("timestamp")).toEpochMilli();
            if (first - from >= (to - from) / 10) {
                start = Math.max(from, first - (to - first) / 20);
            }
        }
        long end = to;
        long pad = (to - start) / 50;
        for (SvgChart.Marker marker : markers) {
            long at = marker.at().toEpochMilli();
            start = Math.max(from, Math.min(start, at - pad));
            end = Math.min(to + (to - from) / 2, Math.max(end, at + pad));
        }
        return new Instant[] {Instant.ofEpochMilli(start), Instant.ofEpochMilli(end)};
    }

    /** Commands for the keys: none when the keys are redacted, since a redacted name names no key. */
    static RedisCliCommand cli(Incident incident, boolean keysRedacted) {
        return keysRedacted ? null : RedisCliCommand.to(incident.instanceUrl());
    }

    /** A keyspace report's tables (top keys with their fixes, patterns), or {@code null} without results. */
    private static Map<String, Object> report(ScanAttachment attachment, RedisCliCommand cli) {
        ScanResults results = attachment == null ? null : attachment.results();
        if (results == null) {
            return null;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        boolean cluster = CsvExport.clusterScan(results);
        // a key of a cluster-wide scan lives on one shard: -c follows the redirection to it
        RedisCliCommand used = cli != null && cluster ? cli.clusterMode() : cli;
        report.put("keys", results.topKeys().stream().limit(MarkdownExport.TOP_KEYS).map(key -> keyRow(key, used))
                .toList());
        report.put("withNode", cluster);
        report.put("withDb", results.topKeys().stream().anyMatch(k -> k.db() != null));
        report.put("patterns", results.patterns().stream().limit(MarkdownExport.PATTERNS).toList());
        return report;
    }

    private static Map<String, Object> keyRow(ScanResults.KeyEntry key, RedisCliCommand cli) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("node", key.node());
        row.put("key", key.key());
        row.put("db", key.db() == null ? "" : key.db().toString());
        row.put("type", key.type());
        row.put("bytes", Units.bytesOrDash(key.bytes()));
        row.put("elements", Units.count(key.elements()));
        row.put("ttl", Units.ttl(key.ttlSeconds()));
        row.put("fixes", KeyAdvice.fixes(key, cli == null ? RedisCliCommand.local() : cli).stream()
                .map(fix -> cli == null ? new KeyAdvice.Fix(fix.advice(), null) : fix).toList());
        return row;
    }

    static List<SvgChart.Marker> markers(Incident incident) {
        List<SvgChart.Marker> markers = new ArrayList<>();
        markers.add(new SvgChart.Marker(incident.capturedAt(), "capture", "Captured " + Units.utc(incident.capturedAt()),
                "m-capture"));
        List<IncidentNote> notes = incident.notes();
        for (int i = 0; i < notes.size(); i++) {
            IncidentNote note = notes.get(i);
            markers.add(new SvgChart.Marker(note.at(), Integer.toString(i + 1), Units.utc(note.at()) + ": "
                    + note.text(), "m-note"));
        }
        return markers;
    }

    private static List<Map<String, Object>> numbered(List<IncidentNote> notes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < notes.size(); i++) {
            IncidentNote note = notes.get(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("number", i + 1);
            row.put("at", Units.utc(note.at()));
            row.put("author", note.author());
            row.put("text", note.text());
            out.add(row);
        }
        return out;
    }

    private List<Map<String, Object>> facts(Map<String, Fact> facts) {
        List<Map<String, Object>> out = new ArrayList<>();
        facts.forEach((name, fact) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("command", fact.command());
            row.put("refused", fact.refused());
            row.put("reason", fact.reason());
            row.put("text", FactTexts.text(fact, json));
            out.add(row);
        });
        return out;
    }
}
