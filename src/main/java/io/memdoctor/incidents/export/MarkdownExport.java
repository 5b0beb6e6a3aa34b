package io.memdoctor.incidents.export;

import java.util.List;
import java.util.Map;

import io.memdoctor.format.Units;
import io.memdoctor.checks.CheckResult;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.incidents.Fact;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.NodeCapture;
import io.memdoctor.incidents.ScanAttachment;
import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.KeyAdvice;
import tools.jackson.databind.json.JsonMapper;

import static io.memdoctor.incidents.export.MarkdownText.codeBlock;
import static io.memdoctor.incidents.export.MarkdownText.escape;

/**
 * A postmortem draft in Markdown: summary, timeline (notes and what the samples show), the diagnosis with its
 * evidence, the failing checks with their fixes, the biggest keys and patterns, and the raw facts in an appendix.
 * Everything that came from Redis or from people is escaped (see {@link MarkdownText}); raw facts sit in fenced
 * blocks, where Markdown shows them literally.
 */
final class MarkdownExport {

    static final int TOP_KEYS = 20;
    static final int PATTERNS = 20;
    static final int SAMPLE_ROWS = 24;

    private final JsonMapper json;

    MarkdownExport(JsonMapper json) {
        this.json = json;
    }

    String render(Incident incident, boolean keysRedacted) {
        StringBuilder md = new StringBuilder();
        md.append("# Incident: ").append(escape(incident.title())).append("\n\n");
        md.append("- **Instance:** ").append(escape(incident.instanceName())).append(" (")
                .append(escape(incident.instanceUrl())).append(")\n");
        List<NodeCapture> nodes = incident.capture().nodes();
        if (!nodes.isEmpty()) {
            md.append("- **Cluster:** ").append(nodes.size()).append(" nodes (")
                    .append(nodes.stream().filter(n -> "PRIMARY".equals(n.role())).count())
                    .append(" primaries), each captured at the same time; ")
                    .append(nodes.stream().filter(n -> !n.answered()).count()).append(" did not answer\n");
        }
        md.append("- **Captured:** ").append(Units.utc(incident.capturedAt())).append("\n");
        md.append("- **Window:** ").append(Units.utc(incident.windowFrom())).append(" to ")
                .append(Units.utc(incident.windowTo())).append("\n");
        if (incident.imported()) {
            md.append("- **Imported:** ").append(escape(incident.source())).append("\n");
        }
        if (keysRedacted) {
            md.append("- **Key names redacted:** id-like parts are shown as stable hashes `<h:…>`\n");
        }
        md.append("\n## Summary\n\n");
        Diagnosis diagnosis = incident.capture().diagnosis();
        if (diagnosis != null) {
            md.append("**").append(diagnosis.verdict()).append("**: ").append(escape(diagnosis.summary()))
                    .append("\n\n");
        }
        if (incident.note() != null) {
            md.append("Noted at capture: ").append(escape(incident.note())).append("\n\n");
        }
        List<CheckResult> failing = incident.capture().checks().stream().filter(CheckResult::actionable).toList();
        md.append(failing.isEmpty() ? "No check needed action at capture time.\n"
                : failing.size() + " check(s) needed action at capture time.\n");
        timeline(md, incident);
        diagnosis(md, diagnosis);
        checks(md, failing);
        nodes(md, incident.capture().nodes());
        keys(md, incident.capture().scan(), incident.capture().rdb(), HtmlExport.cli(incident, keysRedacted));
        appendix(md, incident.capture().facts());
        for (NodeCapture node : incident.capture().nodes()) {
            md.append("\n## Appendix: raw facts of ").append(escape(node.label())).append("\n");
            facts(md, node.facts());
        }
        return md.toString();
    }

    private static void timeline(StringBuilder md, Incident incident) {
        md.append("\n## Timeline\n\n| Time (UTC) | What | |\n|---|---|---|\n");
        for (Timeline.Event event : Timeline.of(incident)) {
            md.append("| ").append(Units.utc(event.at())).append(" | ").append(escape(event.text())).append(" | ")
                    .append(event.kind()).append(" |\n");
        }
        List<Map<String, Object>> samples = incident.capture().samples();
        NodeCapture shard = NodeCapture.mostSerious(incident.capture().nodes());
        md.append(shard == null ? "\n### Samples\n\n" : "\n### Samples of shard " + escape(shard.label())
                + ", the one the verdict names\n\nThe CSV export has every node's.\n\n");
        if (samples.isEmpty()) {
            md.append("No sample in the window.\n");
            return;
        }
        int shown = Math.min(samples.size(), SAMPLE_ROWS);
        md.append(samples.size()).append(" samples in the window (the CSV export has every one)")
                .append(samples.size() > shown ? "; " + shown + " of them, evenly spaced, first and last included:"
                        : ":")
                .append("\n\n| Time (UTC) | Status | used_memory | used_memory_rss | frag. ratio | keys | evicted_keys |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < shown; i++) {
            row(md, samples.get(shown == 1 ? 0 : (int) Math.round(i * (samples.size() - 1) / (double) (shown - 1))));
        }
    }

    private static void row(StringBuilder md, Map<String, Object> s) {
        md.append("| ").append(Units.utc(java.time.Instant.parse((String) s.get("timestamp")))).append(" | ")
                .append(escape(String.valueOf(s.get("status")))).append(" | ")
                .append(Units.bytesOrDash((Number) s.get("usedMemory"))).append(" | ")
                .append(Units.bytesOrDash((Number) s.get("usedMemoryRss"))).append(" | ")
                .append(Units.ratio((Number) s.get("memFragmentationRatio"))).append(" | ")
                .append(Units.count((Number) s.get("keys"))).append(" | ")
                .append(Units.count((Number) s.get("evictedKeys"))).append(" |\n");
    }

    private static void diagnosis(StringBuilder md, Diagnosis diagnosis) {
        md.append("\n## Diagnosis\n\n");
        if (diagnosis == null) {
            md.append("No diagnosis was recorded.\n");
            return;
        }
        md.append("**").append(diagnosis.verdict()).append("**, ").append(diagnosis.severity()).append(" (")
                .append(Units.utc(diagnosis.from())).append(" to ")
                .append(Units.utc(diagnosis.to())).append(", ").append(diagnosis.samples()).append(" samples)\n\n")
                .append(escape(diagnosis.summary())).append("\n\n### Evidence\n\n");
        diagnosis.evidence().forEach(e -> md.append("- ").append(escape(e)).append('\n'));
        md.append("\n### Next steps\n\n");
        for (int i = 0; i < diagnosis.nextSteps().size(); i++) {
            md.append(i + 1).append(". ").append(escape(diagnosis.nextSteps().get(i))).append('\n');
        }
        if (diagnosis.findings().size() > 1) {
            md.append("\n### Also in this range\n\n");
            diagnosis.findings().stream().skip(1).forEach(f -> md.append("- **").append(f.verdict()).append("**, ")
                    .append(f.severity()).append(": ").append(escape(f.summary())).append('\n'));
        }
    }

    private static void checks(StringBuilder md, List<CheckResult> failing) {
        md.append("\n## Failing checks\n\n");
        if (failing.isEmpty()) {
            md.append("None: every check was OK, INFO or UNKNOWN at capture time.\n");
        }
        for (CheckResult check : failing) {
            md.append("### ").append(check.severity()).append(": ").append(escape(check.title())).append(" (")
                    .append(escape(check.id())).append(")\n\n").append(escape(check.evidence())).append("\n\n");
            if (!check.remedy().isEmpty()) {
                md.append("Fix:\n\n").append(codeBlock("", check.remedy())).append('\n');
            }
        }
    }

    /** A cluster's nodes: one row each, then each node's failing checks. */
    private static void nodes(StringBuilder md, List<NodeCapture> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        md.append("\n## Nodes\n\nEvery node of the cluster, as captured at the same time.\n\n")
                .append("| Node | Role | Slots | Sample | Verdict | Summary |\n|---|---|---|---|---|---|\n");
        for (NodeCapture n : nodes) {
            Diagnosis d = n.diagnosis();
            md.append("| ").append(escape(n.address())).append(" | ").append(escape(n.role()))
                    .append(n.primary() == null ? "" : " of " + escape(n.primary())).append(" | ")
                    .append(escape(n.slots().isEmpty() ? "-" : n.slots())).append(" | ").append(escape(n.status()))
                    .append(n.error() == null ? "" : ": " + escape(n.error())).append(" | ")
                    .append(d == null ? "-" : d.verdict() + ", " + d.severity()).append(" | ")
                    .append(d == null ? "" : escape(d.summary())).append(" |\n");
        }
        for (NodeCapture n : nodes) {
            List<CheckResult> failing = n.checks().stream().filter(CheckResult::actionable).toList();
            if (!failing.isEmpty()) {
                md.append("\n### Failing checks of ").append(escape(n.label())).append("\n\n");
                failing.forEach(c -> md.append("- **").append(c.severity()).append("**: ").append(escape(c.title()))
                        .append(" (").append(escape(c.id())).append("): ").append(escape(c.evidence())).append('\n'));
            }
        }
    }

    private static void keys(StringBuilder md, ScanAttachment scan, ScanAttachment rdb, RedisCliCommand cli) {
        md.append("\n## Biggest keys and patterns\n\n");
        ScanResults results = scan == null ? null : scan.results();
        if (results == null) {
            md.append(scan == null ? "No keyspace scan was taken with this incident.\n"
                    : "The keyspace scan (" + escape(scan.status()) + ") has no results"
                            + (scan.error() == null ? "" : ": " + escape(scan.error())) + ".\n");
        }
        else {
            report(md, scan, cli);
        }
        if (rdb != null && rdb.results() != null) {
            md.append("\n### Keys ").append(escape(rdb.label())).append("\n\n");
            report(md, rdb, cli);
        }
    }

    private static void report(StringBuilder md, ScanAttachment scan, RedisCliCommand cli) {
        ScanResults results = scan.results();
        boolean withDb = results.topKeys().stream().anyMatch(k -> k.db() != null);
        boolean withNode = CsvExport.clusterScan(results);
        // a key of a cluster-wide scan lives on one shard: -c follows the redirection to it
        RedisCliCommand used = cli != null && withNode ? cli.clusterMode() : cli;
        if (scan.rdb() != null) {
            md.append("Keys ").append(escape(scan.label())).append(" (RDB version ").append(scan.rdb().rdbVersion())
                    .append(scan.rdb().redisVersion() == null ? "" : ", written by Redis "
                            + escape(scan.rdb().redisVersion()))
                    .append(scan.rdb().createdAt() == null ? "" : " at " + scan.rdb().createdAt())
                    .append("), not a live scan.\n\n");
        }
        md.append(Units.count(results.keys())).append(" keys, ").append(Units.bytesOrDash(results.bytes()))
                .append(scan.rdb() == null ? " measured by MEMORY USAGE" : " estimated from the file")
                .append(withNode ? " on every shard" : "")
                .append(".\n\n| ").append(withNode ? "Node | " : "").append("Key | ").append(withDb ? "DB | " : "")
                .append("Type | Bytes | Elements | TTL | Consider |\n").append(withNode ? "|---" : "")
                .append(withDb ? "|---" : "").append("|---|---|---|---|---|---|\n");
        List<String> commands = new java.util.ArrayList<>();
        for (ScanResults.KeyEntry key : results.topKeys().stream().limit(TOP_KEYS).toList()) {
            List<KeyAdvice.Fix> fixes = KeyAdvice.fixes(key, used == null ? RedisCliCommand.local() : used);
            md.append("| ").append(withNode ? escape(String.valueOf(key.node())) + " | " : "")
                    .append(escape(key.key())).append(" | ")
                    .append(withDb ? (key.db() == null ? "" : key.db()) + " | " : "")
                    .append(escape(key.type())).append(" | ")
                    .append(Units.bytesOrDash(key.bytes())).append(" | ").append(Units.count(key.elements())).append(" | ")
                    .append(Units.ttl(key.ttlSeconds())).append(" | ")
                    .append(escape(String.join(" ", fixes.stream().map(KeyAdvice.Fix::advice).toList())))
                    .append(" |\n");
            if (cli != null) {
                fixes.stream().map(KeyAdvice.Fix::command).filter(java.util.Objects::nonNull).forEach(commands::add);
            }
        }
        if (!commands.isEmpty()) {
            // a fenced block, not the table: its content is literal, so each line pastes into a shell as it is
            md.append("\nThe fixes as commands, in table order (each line is quoted for a POSIX shell;"
                    + " --quoted-input needs redis-cli 7.0 or later):\n\n").append(codeBlock("sh",
                    String.join("\n", commands)));
        }
        md.append("\n| Pattern | Keys | Bytes | Share | With TTL |\n|---|---|---|---|---|\n");
        for (ScanResults.PatternEntry p : results.patterns().stream().limit(PATTERNS).toList()) {
            md.append("| ").append(escape(p.pattern())).append(" | ").append(Units.count(p.keys())).append(" | ")
                    .append(Units.bytesOrDash(p.bytes())).append(" | ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f%%", p.share() * 100)).append(" | ")
                    .append(Units.count(p.keysWithTtl())).append(" |\n");
        }
    }

    private void appendix(StringBuilder md, Map<String, Fact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        md.append("\n## Appendix: raw facts\n\nAs Redis answered at capture time.\n");
        facts(md, facts);
    }

    private void facts(StringBuilder md, Map<String, Fact> facts) {
        facts.forEach((name, fact) -> {
            md.append("\n### ").append(escape(fact.command())).append("\n\n");
            if (fact.refused()) {
                md.append("Refused: ").append(escape(fact.reason())).append('\n');
            }
            else {
                md.append(codeBlock(fact.value() instanceof String ? "text" : "json", FactTexts.text(fact, json)));
            }
        });
    }
}
