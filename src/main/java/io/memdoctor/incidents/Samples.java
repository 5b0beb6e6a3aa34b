package io.memdoctor.incidents;

import java.util.LinkedHashMap;
import java.util.Map;

import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;

/**
 * Samples as incidents keep and export them: the snapshots API's shape ({@code timestamp}, {@code status},
 * {@code error}, metrics in camelCase) as a plain map, so an incident stores, exports and re-imports them without
 * depending on the snapshot classes, and the page's charts read them like the instance page's.
 */
public final class Samples {

    private Samples() {
    }

    /** A sample without the metrics Redis did not report (they are {@code null} on the API: the same thing). */
    public static Map<String, Object> of(Snapshot snapshot) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("timestamp", snapshot.timestamp().toString());
        sample.put("status", snapshot.status().name());
        if (snapshot.error() != null) {
            sample.put("error", snapshot.error());
        }
        for (Metric metric : Metric.values()) {
            Object value = snapshot.get(metric);
            if (value != null) {
                sample.put(metric.jsonName(), value);
            }
        }
        return sample;
    }
}
