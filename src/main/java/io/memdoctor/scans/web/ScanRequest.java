package io.memdoctor.scans.web;

import java.util.List;

import io.memdoctor.scans.ScanSource;
import io.memdoctor.scans.engine.ScanParameters;

/**
 * Body of {@code POST /api/instances/{id}/scans}; every field is optional.
 *
 * @param match SCAN MATCH glob (default {@code *})
 * @param type one of string, list, set, zset, hash, stream (default: every type)
 * @param count SCAN COUNT (default 1000)
 * @param samples MEMORY USAGE SAMPLES (default 5, as redis-cli; 0 walks every element)
 * @param topN biggest keys kept (default 100)
 * @param maxKeysPerSecond rate limit (default none)
 * @param delimiters separators of key name segments (default {@code [":"]})
 * @param from {@code primary} (default) or {@code replica}: scan a replica so the primary is spared (for a
 *     cluster, a replica of every shard, with READONLY; a shard without a replica is scanned on its primary)
 */
record ScanRequest(String match, String type, Integer count, Integer samples, Integer topN, Integer maxKeysPerSecond,
        List<String> delimiters, String from) {

    /** Which node to scan; a bad value is an IllegalArgumentException (400). */
    ScanSource source() {
        return ScanSource.parse(from);
    }

    /** The validated parameters, defaults filled in; a bad value is an IllegalArgumentException (400). */
    ScanParameters toParameters() {
        return ScanParameters.of(match, type, count, samples, topN, maxKeysPerSecond, delimiters);
    }
}
