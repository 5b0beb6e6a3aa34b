package io.memdoctor.scans.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds measured keys up into {@link ScanResults}, in memory bounded by top-N, the pattern cap and the number of
 * types, never by the number of keys. Fed by one thread (the scan's); {@link #results()} may be taken at any
 * point, so a cancelled or failed scan still reports what it measured.
 */
public final class ScanAccumulator {

    /** Unknown element count (module types) or bytes (no MEMORY USAGE). */
    public static final long UNKNOWN = -1;
    /** Beyond this many distinct types (module types are open-ended), the rest are counted as "other". */
    private static final int MAX_TYPES = 32;

    private static final class TypeStats {
        long keys;
        long bytes;
        long elements;
        ScanResults.KeyEntry mostElements;
        long mostElementsCount = -1;
        ScanResults.KeyEntry mostBytes;
        long mostBytesCount = -1;
    }

    private final TopKeys topKeys;
    private final PatternTable patterns;
    private final TtlHistogram ttl = new TtlHistogram();
    private final Map<String, TypeStats> types = new LinkedHashMap<>();
    private boolean memoryUsageAvailable = true;
    private String note;
    private long keys;
    private long keysVanished;
    private long keysUnreadable;
    private long bytes;
    private long keysWithTtl;

    public ScanAccumulator(ScanParameters parameters, int maxPatterns) {
        this.topKeys = new TopKeys(parameters.topN());
        this.patterns = new PatternTable(maxPatterns);
    }

    /** Byte figures will be missing, and why. */
    public void memoryUsageUnavailable(String reason) {
        this.memoryUsageAvailable = false;
        this.note = reason;
    }

    public boolean memoryUsageAvailable() {
        return memoryUsageAvailable;
    }

    /**
     * Counts one measured key.
     *
     * @param name the name, escaped ({@link KeyNames#escape})
     * @param pattern its pattern ({@link PatternCollapser#collapse})
     * @param type what TYPE said
     * @param keyBytes MEMORY USAGE, or {@link #UNKNOWN}
     * @param elements the element count, or {@link #UNKNOWN} for module types
     * @param ttlMillis PTTL, -1 for no expiry
     */
    public void add(String name, String pattern, String type, long keyBytes, long elements, long ttlMillis) {
        add(name, pattern, type, keyBytes, elements, ttlMillis, null);
    }

    /**
     * Counts one key of a report that covers several databases (an RDB file), so the top keys say where each is.
     *
     * @param db the key's database, {@code null} when the report covers one
     * @see #add(String, String, String, long, long, long)
     */
    public void add(String name, String pattern, String type, long keyBytes, long elements, long ttlMillis,
            Integer db) {
        long knownBytes = Math.max(keyBytes, 0);
        boolean hasTtl = ttlMillis >= 0;
        keys++;
        bytes += knownBytes;
        if (hasTtl) {
            keysWithTtl++;
        }
        patterns.add(pattern, knownBytes, hasTtl);
        ttl.add(ttlMillis, knownBytes);

        TypeStats stats = types.get(type);
        if (stats == null) {
            if (types.size() < MAX_TYPES) {
                stats = new TypeStats();
                types.put(type, stats);
            }
            else {
                stats = types.computeIfAbsent("other", t -> new TypeStats());
            }
        }
        stats.keys++;
        stats.bytes += knownBytes;
        stats.elements += Math.max(elements, 0);

        ScanResults.KeyEntry entry = null;
        // strictly greater: the first key found keeps a tie, as in redis-cli
        if (elements > stats.mostElementsCount) {
            entry = entry(name, type, keyBytes, elements, ttlMillis, db);
            stats.mostElements = entry;
            stats.mostElementsCount = elements;
        }
        if (keyBytes > stats.mostBytesCount) {
            entry = entry != null ? entry : entry(name, type, keyBytes, elements, ttlMillis, db);
            stats.mostBytes = entry;
            stats.mostBytesCount = keyBytes;
        }
        long rank = memoryUsageAvailable ? keyBytes : elements;
        if (topKeys.wouldAccept(rank)) {
            topKeys.offer(entry != null ? entry : entry(name, type, keyBytes, elements, ttlMillis, db), rank);
        }
    }

    /** A key SCAN returned that was gone (or replaced) before it could be measured. */
    public void vanished() {
        keysVanished++;
    }

    /** A key the server refused to describe. */
    public void unreadable() {
        keysUnreadable++;
    }

    /** Keys measured so far. */
    public long keys() {
        return keys;
    }

    /** What was found so far. */
    public ScanResults results() {
        boolean withBytes = memoryUsageAvailable;
        Map<String, ScanResults.Biggest> biggest = new LinkedHashMap<>();
        Map<String, ScanResults.TypeTotals> byType = new LinkedHashMap<>();
        for (Map.Entry<String, TypeStats> e : types.entrySet()) {
            TypeStats s = e.getValue();
            biggest.put(e.getKey(), new ScanResults.Biggest(s.mostElements, withBytes ? s.mostBytes : null));
            byType.put(e.getKey(), new ScanResults.TypeTotals(s.keys, withBytes ? s.bytes : null, s.elements));
        }
        return new ScanResults(keys, keysVanished, keysUnreadable, withBytes ? bytes : null, keysWithTtl,
                memoryUsageAvailable, note, topKeys.biggestFirst(), biggest, byType,
                patterns.entries(withBytes), ttl.buckets(withBytes));
    }

    private static ScanResults.KeyEntry entry(String name, String type, long keyBytes, long elements,
            long ttlMillis, Integer db) {
        return new ScanResults.KeyEntry(name, type, keyBytes < 0 ? null : keyBytes, elements < 0 ? null : elements,
                ttlMillis < 0 ? -1 : (ttlMillis + 500) / 1000, null, db);
    }
}
