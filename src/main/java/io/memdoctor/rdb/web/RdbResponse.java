package io.memdoctor.rdb.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.memdoctor.rdb.RdbRecord;
import io.memdoctor.rdb.RdbReport;
import io.memdoctor.scans.engine.ScanResults;

/**
 * {@code GET /api/rdb/{id}}: progress while running; once ended, the scan's result shape at the top level
 * ({@code keys}, {@code bytes}, {@code topKeys}, {@code biggestByType}, {@code byType}, {@code patterns},
 * {@code ttl}, ...) plus what the file tells.
 *
 * @param id the analysis
 * @param source the file's name
 * @param status RUNNING, DONE, CANCELLED, FAILED or INTERRUPTED
 * @param startedAt when it started
 * @param endedAt when it ended
 * @param bytesRead bytes of the file read
 * @param bytesTotal the file's size
 * @param progress 0 to 1
 * @param keysScanned keys read so far
 * @param elapsedSeconds how long it ran
 * @param error why it failed: what and where (byte offset, key)
 * @param rdbVersion the file's format version (once ended)
 * @param server the server that wrote the file, from its aux fields
 * @param aux the file's aux fields
 * @param databases per database: keys, bytes, keys with TTL
 * @param functions function libraries in the file
 * @param expiredAtSave keys already expired when the file was written
 * @param fieldsWithTtl hash fields with their own TTL
 * @param estimate how the bytes were obtained
 * @param results the scan-shaped figures (absent while running)
 */
record RdbResponse(String id, String source, String status, Instant startedAt, Instant endedAt, long bytesRead,
        long bytesTotal, double progress, long keysScanned, double elapsedSeconds, String error, Integer rdbVersion,
        String server, Map<String, String> aux, Map<Integer, RdbReport.Database> databases, List<String> functions,
        Long expiredAtSave, Long fieldsWithTtl, String estimate, @JsonUnwrapped ScanResults results) {

    static final String ESTIMATE = "estimated from the file as MEMORY USAGE SAMPLES 0 would count each key on the"
            + " server that wrote it (see docs/benchmarks/rdb.md for the measured accuracy)";

    static RdbResponse of(RdbRecord r) {
        RdbReport report = r.report();
        return new RdbResponse(r.id(), r.source(), r.status().name(), r.startedAt(), r.endedAt(), r.bytesRead(),
                r.bytesTotal(), Math.round(r.progress() * 1000) / 1000.0, r.keysRead(),
                Math.round(r.elapsedMillis() / 100.0) / 10.0, r.error(),
                report == null ? null : report.rdbVersion(), report == null ? null : report.server(),
                report == null ? null : report.aux(), report == null ? null : report.databases(),
                report == null ? null : report.functions(), report == null ? null : report.expiredAtSave(),
                report == null ? null : report.fieldsWithTtl(), report == null ? null : ESTIMATE,
                report == null ? null : report.results());
    }
}
