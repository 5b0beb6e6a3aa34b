package io.memdoctor.scans.engine;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a scan found. Every list is bounded (top-N keys, capped patterns, six TTL buckets), whatever the size of
 * the keyspace. Byte figures are {@code null} when MEMORY USAGE was not available; element counts are then
 * complete all the same.
 *
 * @param keys keys measured
 * @param keysVanished keys SCAN returned that were deleted, expired or replaced before they could be measured;
 *     not counted anywhere else
 * @param keysUnreadable keys the server refused to describe (an ACL on some key names, say)
 * @param bytes sum of MEMORY USAGE over the measured keys
 * @param keysWithTtl measured keys that have an expiry
 * @param memoryUsageAvailable whether MEMORY USAGE answered
 * @param note why byte figures are missing, or {@code null}
 * @param topKeys the biggest keys by bytes (by elements without MEMORY USAGE), biggest first
 * @param biggestByType per type, the key with the most elements (as {@code redis-cli --bigkeys}) and the key with
 *     the most bytes (as {@code redis-cli --memkeys})
 * @param byType per type, keys, bytes and elements (as the summaries of {@code redis-cli --bigkeys/--memkeys})
 * @param patterns key patterns, biggest first; when more patterns were seen than the cap, the rest is in one row
 *     named {@link #OTHER_PATTERN}
 * @param ttl keys and bytes per TTL bucket
 */
public record ScanResults(long keys, long keysVanished, long keysUnreadable, Long bytes, long keysWithTtl,
        boolean memoryUsageAvailable, String note, List<KeyEntry> topKeys, Map<String, Biggest> biggestByType,
        Map<String, TypeTotals> byType, List<PatternEntry> patterns, List<TtlBucket> ttl) {

    /** The row that collects the keys of patterns beyond the cap. */
    public static final String OTHER_PATTERN = "(other)";

    /** Whether the keys come from a cluster-wide scan: each carries the node it was found on. */
    public boolean clusterWide() {
        return topKeys.stream().anyMatch(key -> key.node() != null);
    }

    /**
     * One key.
     *
     * @param key the name, escaped like redis-cli does ({@code \xHH} for bytes that are not printable ASCII)
     * @param type string, list, set, zset, hash, stream or a module type
     * @param bytes MEMORY USAGE, or {@code null} when unavailable
     * @param elements STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN; {@code null} for module types
     * @param ttlSeconds time to live in seconds, -1 for no expiry
     * @param node the node ({@code host:port}) it was found on, in a cluster-wide scan; {@code null} otherwise
     * @param db the database it is in, when the report covers several (an RDB file); {@code null} for a scan, which
     *     reads the one database of its instance's URL (absent from the JSON then)
     */
    public record KeyEntry(String key, String type, Long bytes, Long elements, long ttlSeconds, String node,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer db) {

        /** A key of a scan of one node. */
        public KeyEntry(String key, String type, Long bytes, Long elements, long ttlSeconds) {
            this(key, type, bytes, elements, ttlSeconds, null, null);
        }

        /** A key found on a node of a cluster-wide scan. */
        public KeyEntry(String key, String type, Long bytes, Long elements, long ttlSeconds, String node) {
            this(key, type, bytes, elements, ttlSeconds, node, null);
        }

        /** The same key, marked with the node it was found on. */
        public KeyEntry onNode(String address) {
            return new KeyEntry(key, type, bytes, elements, ttlSeconds, address, db);
        }

        /** The same key under another name (a redacted one), keeping where it was found. */
        public KeyEntry named(String name) {
            return new KeyEntry(name, type, bytes, elements, ttlSeconds, node, db);
        }
    }

    /**
     * The biggest keys of one type.
     *
     * @param mostElements the key with the most elements (first found wins a tie, as in redis-cli)
     * @param mostBytes the key with the most bytes, or {@code null} without MEMORY USAGE
     */
    public record Biggest(KeyEntry mostElements, KeyEntry mostBytes) {
    }

    /**
     * Totals of one type.
     *
     * @param keys number of keys
     * @param bytes sum of their MEMORY USAGE, or {@code null} when unavailable
     * @param elements sum of their element counts (bytes of value for strings, as redis-cli counts them)
     */
    public record TypeTotals(long keys, Long bytes, long elements) {
    }

    /**
     * One key pattern.
     *
     * @param pattern the key name with id-like segments as {@code *}
     * @param keys number of keys
     * @param bytes their bytes, or {@code null} when unavailable
     * @param keysWithTtl how many of them have an expiry
     * @param share part of all bytes (of all keys without MEMORY USAGE), 0 to 1
     */
    public record PatternEntry(String pattern, long keys, Long bytes, long keysWithTtl, double share) {
    }

    /**
     * One TTL bucket.
     *
     * @param bucket {@code none}, {@code lt1h}, {@code 1h-24h}, {@code 1d-7d} or {@code gt7d}
     * @param label the bucket for people: "no expiry", "< 1 h", ...
     * @param keys keys in the bucket
     * @param bytes their bytes, or {@code null} when unavailable
     */
    public record TtlBucket(String bucket, String label, long keys, Long bytes) {
    }
}
