package io.memdoctor.scans;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.memdoctor.scans.engine.ScanStatus;

/**
 * What grew and what shrank between two scans ({@code base}, then {@code other}): per pattern, per top key and per
 * type, with absolute and relative changes, biggest byte changes first. It answers "did a consumer stop, so that
 * its queues grew?" with a table.
 *
 * @param base the scan compared from
 * @param other the scan compared to
 * @param total all measured keys
 * @param patterns per key pattern
 * @param topKeys per key in either scan's top keys; a key in only one of them has {@code null} figures on the
 *     other side: it entered or left the top N, whatever its size there
 * @param types per type
 */
public record ScanComparison(Side base, Side other, PatternChange total, List<PatternChange> patterns,
        List<KeyChange> topKeys, List<TypeChange> types) {

    /**
     * One of the two scans.
     *
     * @param id its id
     * @param instanceId the scanned instance
     * @param status how it ended
     * @param startedAt when it started
     * @param keys keys measured
     * @param bytes bytes measured, {@code null} without MEMORY USAGE
     */
    public record Side(String id, String instanceId, ScanStatus status, Instant startedAt, long keys, Long bytes) {
    }

    /**
     * A figure in both scans.
     *
     * @param before in the base scan, {@code null} when absent there
     * @param after in the other scan, {@code null} when absent there
     * @param change after minus before, {@code null} unless both are known
     * @param percent the change in percent of before, {@code null} unless before is known and not zero
     */
    public record Delta(Long before, Long after, Long change, Double percent) {

        static Delta of(Long before, Long after) {
            Long change = before != null && after != null ? after - before : null;
            Double percent = change != null && before != 0 ? 100.0 * change / before : null;
            return new Delta(before, after, change, percent);
        }
    }

    /** How a figure moved: {@code grew}, {@code shrank}, {@code same}, {@code new} or {@code gone}. */
    public static String trend(Delta delta) {
        if (delta.before() == null && delta.after() == null) {
            return "same";
        }
        if (delta.before() == null) {
            return "new";
        }
        if (delta.after() == null) {
            return "gone";
        }
        return delta.change() > 0 ? "grew" : delta.change() < 0 ? "shrank" : "same";
    }

    /**
     * @param pattern the key pattern
     * @param bytes its bytes
     * @param keys its number of keys
     * @param trend by bytes (by keys without MEMORY USAGE)
     */
    public record PatternChange(String pattern, Delta bytes, Delta keys, String trend) {
    }

    /**
     * @param key the key name, escaped
     * @param db its database, for a key of an RDB file (absent for a scan, which reads one database)
     * @param type its type (in the other scan when it is in both)
     * @param bytes its bytes
     * @param elements its element count
     * @param trend by bytes (by elements without MEMORY USAGE)
     */
    public record KeyChange(String key, @JsonInclude(JsonInclude.Include.NON_NULL) Integer db, String type, Delta bytes,
            Delta elements, String trend) {
    }

    /**
     * @param type the type
     * @param bytes bytes of keys of that type
     * @param keys number of keys
     * @param elements element count
     */
    public record TypeChange(String type, Delta bytes, Delta keys, Delta elements) {
    }
}
