package io.memdoctor.scans.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys, bytes and keys with a TTL per pattern, for at most {@code capacity} patterns: once full, keys of patterns
 * not yet in the table are added up in one {@link ScanResults#OTHER_PATTERN} row. So the memory it takes does not
 * grow with the keyspace, and a keyspace of random names cannot exhaust it.
 */
public final class PatternTable {

    private static final class Stats {
        long keys;
        long bytes;
        long keysWithTtl;

        void add(long keyBytes, boolean ttl) {
            keys++;
            bytes += keyBytes;
            if (ttl) {
                keysWithTtl++;
            }
        }
    }

    private final int capacity;
    private final Map<String, Stats> patterns;
    private final Stats other = new Stats();

    public PatternTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.patterns = new HashMap<>(Math.min(capacity, 4096) * 2);
    }

    /** Counts one key; {@code bytes} is 0 when unknown. */
    public void add(String pattern, long bytes, boolean hasTtl) {
        Stats stats = patterns.get(pattern);
        if (stats == null) {
            if (patterns.size() >= capacity) {
                other.add(bytes, hasTtl);
                return;
            }
            stats = new Stats();
            patterns.put(pattern, stats);
        }
        stats.add(bytes, hasTtl);
    }

    /** Whether some keys went to the "other" row. */
    public boolean overflowed() {
        return other.keys > 0;
    }

    /**
     * The patterns, biggest first (by bytes, or by keys when bytes are unknown), then the "other" row.
     *
     * @param withBytes whether byte figures are known
     */
    public List<ScanResults.PatternEntry> entries(boolean withBytes) {
        long totalKeys = other.keys;
        long totalBytes = other.bytes;
        for (Stats s : patterns.values()) {
            totalKeys += s.keys;
            totalBytes += s.bytes;
        }
        Comparator<Map.Entry<String, Stats>> biggest = withBytes
                ? Comparator.comparingLong((Map.Entry<String, Stats> e) -> e.getValue().bytes).reversed()
                : Comparator.comparingLong((Map.Entry<String, Stats> e) -> e.getValue().keys).reversed();
        List<Map.Entry<String, Stats>> sorted = new ArrayList<>(patterns.entrySet());
        sorted.sort(biggest.thenComparing(Map.Entry::getKey));
        List<ScanResults.PatternEntry> out = new ArrayList<>(sorted.size() + 1);
        for (Map.Entry<String, Stats> e : sorted) {
            out.add(entry(e.getKey(), e.getValue(), withBytes, totalKeys, totalBytes));
        }
        if (other.keys > 0) {
            out.add(entry(ScanResults.OTHER_PATTERN, other, withBytes, totalKeys, totalBytes));
        }
        return out;
    }

    private static ScanResults.PatternEntry entry(String pattern, Stats s, boolean withBytes, long totalKeys,
            long totalBytes) {
        double share = withBytes ? (totalBytes == 0 ? 0 : (double) s.bytes / totalBytes)
                : (totalKeys == 0 ? 0 : (double) s.keys / totalKeys);
        return new ScanResults.PatternEntry(pattern, s.keys, withBytes ? s.bytes : null, s.keysWithTtl, share);
    }
}
