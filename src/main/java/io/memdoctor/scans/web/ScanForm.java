package io.memdoctor.scans.web;

import java.util.Arrays;
import java.util.List;

import io.memdoctor.scans.ScanSource;
import io.memdoctor.scans.engine.ScanParameters;

/**
 * The launch form on the scans page: every field as typed, so a bad value comes back with its message and the
 * rest of what was typed.
 *
 * @param match SCAN MATCH glob
 * @param type a type, or empty for every type
 * @param count SCAN COUNT
 * @param samples MEMORY USAGE SAMPLES
 * @param topN biggest keys kept
 * @param maxKeysPerSecond rate limit, empty for none
 * @param delimiters separators, separated by spaces ({@code ": /"})
 * @param from {@code primary} or {@code replica}
 */
record ScanForm(String match, String type, String count, String samples, String topN, String maxKeysPerSecond,
        String delimiters, String from) {

    /** The form with the defaults: from a replica when there is one (it spares the primary). */
    static ScanForm defaults(boolean replicaAvailable) {
        ScanParameters d = ScanParameters.defaults();
        return new ScanForm(d.match(), "", Integer.toString(d.count()), Integer.toString(d.samples()),
                Integer.toString(d.topN()), "", String.join(" ", d.delimiters()),
                (replicaAvailable ? ScanSource.REPLICA : ScanSource.PRIMARY).value());
    }

    /** Which node to scan; a bad value is an IllegalArgumentException. */
    ScanSource source() {
        return ScanSource.parse(from);
    }

    ScanParameters toParameters() {
        List<String> separators = delimiters == null || delimiters.isBlank() ? null
                : Arrays.stream(delimiters.strip().split("\\s+")).toList();
        return ScanParameters.of(blankToNull(match), blankToNull(type), number("count", count),
                number("samples", samples), number("topN", topN), number("maxKeysPerSecond", maxKeysPerSecond),
                separators);
    }

    private static Integer number(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(field + " must be a whole number");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
