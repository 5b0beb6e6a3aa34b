package io.memdoctor.incidents.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.NodeCapture;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.snapshots.Metric;

/**
 * CSV tables: the samples of a window (one row per sample, one column per metric, named as in INFO), the biggest
 * keys and patterns of a scan, and a cluster's nodes. An incident of a cluster has a {@code node} column first in
 * its samples (every node's). Written through {@link SafeCsv}.
 */
final class CsvExport {

    private CsvExport() {
    }

    /** One row per sample: time, status, error, then every metric; a metric Redis did not report is empty. */
    static String samples(List<Map<String, Object>> samples) {
        return samples(samples, null);
    }

    /** A capture's samples; a cluster's: every node's, node after node, each row led by its node's address. */
    static String samples(Capture capture) {
        if (!capture.cluster()) {
            return samples(capture.samples());
        }
        Map<String, List<Map<String, Object>>> byNode = new LinkedHashMap<>();
        capture.nodes().forEach(n -> byNode.put(n.address(), n.samples()));
        return samples(null, byNode);
    }

    private static String samples(List<Map<String, Object>> samples, Map<String, List<Map<String, Object>>> byNode) {
        List<String> header = new ArrayList<>(List.of("timestamp", "status", "error"));
        if (byNode != null) {
            header.add(0, "node");
        }
        for (Metric metric : Metric.values()) {
            header.add(metric.infoName());
        }
        List<List<Object>> rows = new ArrayList<>();
        Map<String, List<Map<String, Object>>> all = byNode != null ? byNode : Collections.singletonMap(null, samples);
        all.forEach((node, nodeSamples) -> nodeSamples.forEach(sample -> rows.add(row(node, byNode != null, sample,
                header.size()))));
        return SafeCsv.write(header, rows);
    }

    private static List<Object> row(String node, boolean withNode, Map<String, Object> sample, int size) {
        List<Object> row = new ArrayList<>(size);
        if (withNode) {
            row.add(node);
        }
        row.add(sample.get("timestamp"));
        row.add(sample.get("status"));
        row.add(sample.get("error"));
        for (Metric metric : Metric.values()) {
            row.add(sample.get(metric.jsonName()));
        }
        return row;
    }

    /** Whether the keys come from a cluster-wide scan: each carries the node it was found on. */
    static boolean clusterScan(ScanResults results) {
        return results != null && results.clusterWide();
    }

    /** A cluster's nodes as captured: place, the sample's status, the verdict and what needed action. */
    static String nodes(List<NodeCapture> nodes) {
        List<List<Object>> rows = new ArrayList<>();
        for (NodeCapture n : nodes) {
            Diagnosis d = n.diagnosis();
            rows.add(Arrays.asList(n.address(), n.role(), n.primary(), n.slots(), n.status(), n.error(),
                    d == null ? null : d.verdict().name(), d == null ? null : d.severity().name(),
                    d == null ? null : d.summary(),
                    String.join("; ", n.checks().stream().filter(CheckResult::actionable)
                            .map(c -> c.severity() + " " + c.id()).toList()),
                    String.join(" ", n.facts().entrySet().stream().filter(e -> e.getValue().refused())
                            .map(Map.Entry::getKey).toList())));
        }
        return SafeCsv.write(List.of("node", "role", "primary", "slots", "status", "error", "verdict", "severity",
                "summary", "checks_needing_action", "facts_refused"), rows);
    }

    /**
     * The biggest keys of a scan, biggest first; {@code db} is a key's database in an RDB file's report and
     * {@code node} the node of a cluster-wide scan's key, both empty otherwise.
     */
    static String keys(ScanResults results) {
        List<List<Object>> rows = new ArrayList<>();
        if (results != null) {
            for (ScanResults.KeyEntry key : results.topKeys()) {
                rows.add(java.util.Arrays.asList(key.key(), key.type(), key.bytes(), key.elements(), key.ttlSeconds(),
                        key.db(), key.node()));
            }
        }
        return SafeCsv.write(List.of("key", "type", "bytes", "elements", "ttl_seconds", "db", "node"), rows);
    }

    /** The key patterns of a scan, biggest first. */
    static String patterns(ScanResults results) {
        List<List<Object>> rows = new ArrayList<>();
        if (results != null) {
            for (ScanResults.PatternEntry p : results.patterns()) {
                rows.add(java.util.Arrays.asList(p.pattern(), p.keys(), p.bytes(), p.keysWithTtl(), p.share()));
            }
        }
        return SafeCsv.write(List.of("pattern", "keys", "bytes", "keys_with_ttl", "share"), rows);
    }
}
