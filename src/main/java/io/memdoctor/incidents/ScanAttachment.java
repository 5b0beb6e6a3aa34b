package io.memdoctor.incidents;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.scans.KeyAdvice;
import io.memdoctor.scans.engine.ScanResults;

/**
 * The keyspace scan started with a capture: its id and status until it ends, then its results, frozen into the
 * incident so they survive the scan's own retention.
 *
 * @param scanId the scan
 * @param status RUNNING, DONE, CANCELLED, FAILED, INTERRUPTED, or NOT_STARTED / GONE
 * @param startedAt when it started
 * @param endedAt when it ended, {@code null} while it runs
 * @param error why it failed or did not start
 * @param results what it found, once ended
 * @param rdb the RDB file it was read from, {@code null} for a live scan (absent from exports made before RDB
 *     files could be attached, which therefore still import)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScanAttachment(String scanId, String status, Instant startedAt, Instant endedAt, String error,
        ScanResults results, RdbFile rdb) {

    /** A live scan's attachment. */
    public ScanAttachment(String scanId, String status, Instant startedAt, Instant endedAt, String error,
            ScanResults results) {
        this(scanId, status, startedAt, endedAt, error, results, null);
    }

    /** The status while the scan runs. */
    public static final String RUNNING = "RUNNING";

    /** Whether the scan may still change: its end is attached when it comes. */
    public boolean pending() {
        return RUNNING.equals(status);
    }

    /** Where the report comes from, for headings: "scan", or "from RDB file dump.rdb". */
    public String label() {
        return rdb == null ? "scan" : "from RDB file " + rdb.name();
    }

    /**
     * The first {@code limit} top keys with the fixes to consider, their commands aimed at the incident's instance
     * ({@code -c} for a cluster-wide scan, whose keys live on several shards); none without results.
     */
    public List<KeyAdvice.Row> keyRows(String instanceUrl, int limit) {
        if (results == null) {
            return List.of();
        }
        RedisCliCommand cli = RedisCliCommand.to(instanceUrl);
        return KeyAdvice.rows(results.topKeys().stream().limit(limit).toList(),
                results.clusterWide() ? cli.clusterMode() : cli);
    }

    /** The same attachment with other results (redacted ones), keeping where it came from. */
    public ScanAttachment withResults(ScanResults other) {
        return new ScanAttachment(scanId, status, startedAt, endedAt, error, other, rdb);
    }

    /**
     * The RDB file an offline analysis read.
     *
     * @param name the uploaded file's name, or its path under the configured RDB directory
     * @param rdbVersion the file's format version
     * @param redisVersion its {@code redis-ver} aux field, {@code null} when absent
     * @param createdAt its {@code ctime} aux field (when the server wrote it), {@code null} when absent
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RdbFile(String name, int rdbVersion, String redisVersion, Instant createdAt) {
    }
}
