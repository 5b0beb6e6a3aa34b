package io.memdoctor.scans.engine;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a scan looks at and how hard it may push. Invalid values are refused with a message fit for the person who
 * typed them (a 400 on the API).
 *
 * @param match SCAN MATCH glob, {@code *} for every key
 * @param type SCAN TYPE filter (Redis 6+), or {@code null} for every type
 * @param count SCAN COUNT: keys asked for per SCAN call
 * @param samples MEMORY USAGE SAMPLES: elements sampled per collection, 0 for an exact (slow) walk
 * @param topN how many of the biggest keys to keep
 * @param maxKeysPerSecond rate limit, or {@code null} for none
 * @param delimiters separators between the segments of key names, for the patterns
 */
public record ScanParameters(String match, String type, int count, int samples, int topN, Integer maxKeysPerSecond,
        List<String> delimiters) {

    /** The types SCAN TYPE and the size commands know. */
    public static final List<String> TYPES = List.of("string", "list", "set", "zset", "hash", "stream");

    static final String DEFAULT_MATCH = "*";
    static final int DEFAULT_COUNT = 1000;
    /** What redis-cli --memkeys and MEMORY USAGE use by default. */
    static final int DEFAULT_SAMPLES = 5;
    static final int DEFAULT_TOP_N = 100;
    static final List<String> DEFAULT_DELIMITERS = List.of(":");

    private static final int MAX_MATCH_LENGTH = 1024;
    private static final int MAX_COUNT = 10_000;
    private static final int MAX_SAMPLES = 10_000;
    private static final int MAX_TOP_N = 10_000;
    private static final int MAX_DELIMITERS = 8;
    private static final int MAX_DELIMITER_LENGTH = 4;
    private static final Set<Character> FORBIDDEN_DELIMITER_CHARS = Set.of('*', '\\');

    public ScanParameters {
        if (match == null || match.isEmpty()) {
            throw new IllegalArgumentException("match must not be empty; use * for every key");
        }
        if (match.length() > MAX_MATCH_LENGTH) {
            throw new IllegalArgumentException("match must be at most " + MAX_MATCH_LENGTH + " characters");
        }
        if (match.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("match must not contain control characters");
        }
        if (type != null) {
            String lower = type.strip().toLowerCase(Locale.ROOT);
            if (lower.isEmpty()) {
                type = null;
            }
            else if (!TYPES.contains(lower)) {
                throw new IllegalArgumentException("type must be one of " + String.join(", ", TYPES)
                        + " (or left out for every type)");
            }
            else {
                type = lower;
            }
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT);
        }
        if (samples < 0 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("samples must be between 0 (every element, exact but slow) and "
                    + MAX_SAMPLES);
        }
        if (topN < 1 || topN > MAX_TOP_N) {
            throw new IllegalArgumentException("topN must be between 1 and " + MAX_TOP_N);
        }
        if (maxKeysPerSecond != null && maxKeysPerSecond < 1) {
            throw new IllegalArgumentException("maxKeysPerSecond must be at least 1 (or left out for no limit)");
        }
        if (delimiters == null || delimiters.isEmpty()) {
            throw new IllegalArgumentException("delimiters must list at least one separator, such as \":\"");
        }
        if (delimiters.size() > MAX_DELIMITERS) {
            throw new IllegalArgumentException("at most " + MAX_DELIMITERS + " delimiters");
        }
        for (String delimiter : delimiters) {
            if (delimiter == null || delimiter.isEmpty() || delimiter.length() > MAX_DELIMITER_LENGTH) {
                throw new IllegalArgumentException("each delimiter must be 1 to " + MAX_DELIMITER_LENGTH
                        + " characters");
            }
            if (delimiter.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || FORBIDDEN_DELIMITER_CHARS.contains((char) c))) {
                throw new IllegalArgumentException("delimiters must be visible ASCII characters other than * and \\");
            }
        }
        delimiters = List.copyOf(delimiters);
    }

    /** Every key, every type, the documented defaults. */
    public static ScanParameters defaults() {
        return of(null, null, null, null, null, null, null);
    }

    /** Parameters with the defaults in place of {@code null}s. */
    public static ScanParameters of(String match, String type, Integer count, Integer samples, Integer topN,
            Integer maxKeysPerSecond, List<String> delimiters) {
        return new ScanParameters(match == null ? DEFAULT_MATCH : match, type,
                count == null ? DEFAULT_COUNT : count, samples == null ? DEFAULT_SAMPLES : samples,
                topN == null ? DEFAULT_TOP_N : topN, maxKeysPerSecond,
                delimiters == null ? DEFAULT_DELIMITERS : delimiters);
    }

    /** True when SCAN visits only part of the keyspace, so DBSIZE is not the number of keys to expect. */
    public boolean filtered() {
        return type != null || !DEFAULT_MATCH.equals(match);
    }
}
