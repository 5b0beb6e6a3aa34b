package io.memdoctor.incidents.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.snapshots.Metric;

/**
 * CSV tables: the samples of a window (one row per sample, one column per metric, named as in INFO), and the
 * biggest keys and patterns of a scan. Written through {@link SafeCsv}.
 */
final class CsvExport {

    private CsvExport() {
    }

    /** One row per sample: time, status, error, then every metric; a metric Redis did not report is empty. */
    static String samples(List<Map<String, Object>> samples) {
        List<String> header = new ArrayList<>(List.of("timestamp", "status", "error"));
        for (Metric metric : Metric.values()) {
            header.add(metric.infoName());
        }
        List<List<Object>> rows = new ArrayList<>(samples.size());
        for (Map<String, Object> sample : samples) {
            List<Object> row = new ArrayList<>(header.size());
            row.add(sample.get("timestamp"));
            row.add(sample.get("status"));
            row.add(sample.get("error"));
            for (Metric metric : Metric.values()) {
                row.add(sample.get(metric.jsonName()));
            }
            rows.add(row);
        }
        return SafeCsv.write(header, rows);
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
