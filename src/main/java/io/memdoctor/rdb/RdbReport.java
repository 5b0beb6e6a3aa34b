package io.memdoctor.rdb;

import java.util.List;
import java.util.Map;

import io.memdoctor.scans.engine.ScanResults;

/**
 * What an analysis found: the scan's result shape plus what only a file tells.
 *
 * @param results keys, bytes, top keys, types, patterns and TTLs, as a live scan reports them (bytes estimated
 *     from the file, see {@code io.memdoctor.rdb.memory.MemoryModel})
 * @param rdbVersion the file's format version
 * @param server the server that wrote it ("redis 7.4.1", "valkey 8.0.1"), from its aux fields
 * @param aux the file's aux fields ({@code redis-ver}, {@code used-mem}, {@code ctime}, ...)
 * @param databases per database: keys, estimated bytes, keys with an expiry
 * @param functions Redis 7 function libraries in the file
 * @param moduleAuxBytes bytes of module data outside keys (skipped)
 * @param expiredAtSave keys whose expiry had passed when the file was written (Redis drops them on load)
 * @param fieldsWithTtl hash fields with their own expiry (Redis 7.4+)
 */
public record RdbReport(ScanResults results, int rdbVersion, String server, Map<String, String> aux,
        Map<Integer, Database> databases, List<String> functions, long moduleAuxBytes, long expiredAtSave,
        long fieldsWithTtl) {

    /** The aux fields with what each says, readable ({@code ctime} as a UTC time, {@code used-mem} in units). */
    public List<AuxFields.Field> auxFields() {
        return AuxFields.of(aux);
    }

    /**
     * @param keys keys in the database
     * @param bytes their estimated memory
     * @param keysWithTtl keys with an expiry
     */
    public record Database(long keys, long bytes, long keysWithTtl) {
    }
}
