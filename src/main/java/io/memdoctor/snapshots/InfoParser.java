package io.memdoctor.snapshots;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the text of {@code INFO all} into metric values. Pure logic: no Redis here.
 *
 * <p>Fields a Redis version does not report stay absent. Two sections are read with care: keyspace lines
 * ({@code db0:keys=3,expires=1,avg_ttl=0}) are summed over databases, and {@code errorstat_OOM:count=N} counts
 * refused writes. When such a section is present but has no line, the value is 0; when the section itself is
 * absent (an older Redis), it stays absent.
 */
public final class InfoParser {

    private InfoParser() {
    }

    /** Every {@code field:value} line, by field name; section headers and blank lines are skipped. */
    public static Map<String, String> fields(String info) {
        // by hand, not split("\r?\n"): that regex was most of a sample's CPU (docs/benchmarks/fleet.md)
        Map<String, String> fields = new HashMap<>(512);
        int length = info.length();
        for (int start = 0; start < length;) {
            int newline = info.indexOf('\n', start);
            int next = newline < 0 ? length : newline + 1;
            int end = newline < 0 ? length : newline > start && info.charAt(newline - 1) == '\r' ? newline - 1 : newline;
            if (end > start && info.charAt(start) != '#') {
                int colon = info.indexOf(':', start);
                if (colon > start && colon < end) {
                    fields.put(info.substring(start, colon), info.substring(colon + 1, end).strip());
                }
            }
            start = next;
        }
        return fields;
    }

    /** The metric values found in an INFO text; {@code dbsize} is added when given. */
    public static Map<Metric, Object> metrics(String info, Long dbsize) {
        Map<String, String> fields = fields(info);
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            if (metric.section().equals("keyspace") || metric.section().equals("errorstats")) {
                continue;
            }
            String raw = fields.get(metric.infoName());
            if (raw != null) {
                Object value = convert(metric, raw);
                if (value != null) {
                    values.put(metric, value);
                }
            }
        }
        if (hasSection(info, "Keyspace")) {
            long keys = 0;
            long expires = 0;
            Long subexpiry = null;
            for (Map.Entry<String, String> field : fields.entrySet()) {
                if (numbered(field.getKey(), "db")) {
                    Map<String, String> db = subFields(field.getValue());
                    keys += parseLong(db.get("keys"), 0L);
                    expires += parseLong(db.get("expires"), 0L);
                    Long fieldTtls = parseLong(db.get("subexpiry"), null);
                    if (fieldTtls != null) {
                        subexpiry = (subexpiry == null ? 0 : subexpiry) + fieldTtls;
                    }
                }
            }
            values.put(Metric.KEYS, keys);
            values.put(Metric.EXPIRES, expires);
            if (subexpiry != null) {
                values.put(Metric.SUBEXPIRY, subexpiry);
            }
        }
        replicas(fields, values);
        if (hasSection(info, "Errorstats")) {
            String oom = fields.get(Metric.ERRORSTAT_OOM.infoName());
            values.put(Metric.ERRORSTAT_OOM, oom == null ? 0L : parseLong(subFields(oom).get("count"), 0L));
        }
        if (dbsize != null) {
            values.put(Metric.DBSIZE, dbsize);
        }
        return values;
    }

    /**
     * The furthest-behind replica (bytes behind master_repl_offset) and how many are not online, from the
     * {@code slaveN:ip=...,state=online,offset=N,lag=0} lines of a primary.
     */
    private static void replicas(Map<String, String> fields, Map<Metric, Object> values) {
        Long masterOffset = parseLong(fields.get(Metric.MASTER_REPL_OFFSET.infoName()), null);
        Long connected = parseLong(fields.get(Metric.CONNECTED_SLAVES.infoName()), null);
        if (masterOffset == null || connected == null || !"master".equals(fields.get(Metric.ROLE.infoName()))) {
            return;
        }
        long maxLag = 0;
        long notOnline = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (numbered(field.getKey(), "slave")) {
                Map<String, String> replica = subFields(field.getValue());
                if (!"online".equals(replica.get("state"))) {
                    // a replica in a full sync reports offset 0: its lag is the sync, counted here, not in bytes
                    notOnline++;
                    continue;
                }
                Long offset = parseLong(replica.get("offset"), null);
                if (offset != null && offset <= masterOffset) {
                    maxLag = Math.max(maxLag, masterOffset - offset);
                }
            }
        }
        values.put(Metric.REPLICAS_MAX_LAG_BYTES, maxLag);
        values.put(Metric.REPLICAS_NOT_ONLINE, notOnline);
    }

    /** {@code db0}, {@code slave12}: the prefix and at least one digit (what the regex {@code prefix\d+} matches). */
    private static boolean numbered(String key, String prefix) {
        if (key.length() <= prefix.length() || !key.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSection(String info, String name) {
        return info.contains("# " + name + "\r\n") || info.contains("# " + name + "\n") || info.endsWith("# " + name);
    }

    /** {@code keys=3,expires=1} as a map. */
    static Map<String, String> subFields(String value) {
        Map<String, String> out = new HashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }

    private static Object convert(Metric metric, String raw) {
        return switch (metric.kind()) {
            case TEXT -> raw;
            case LONG -> {
                Long parsed = parseLong(raw, null);
                yield parsed;
            }
            case DOUBLE -> {
                try {
                    double parsed = Double.parseDouble(raw);
                    yield Double.isFinite(parsed) ? parsed : null;
                }
                catch (NumberFormatException ex) {
                    yield null;
                }
            }
        };
    }

    private static Long parseLong(String raw, Long fallback) {
        if (raw == null) {
            return fallback;
        }
        try {
            return Long.parseLong(raw);
        }
        catch (NumberFormatException ex) {
            return fallback;
        }
    }
}
