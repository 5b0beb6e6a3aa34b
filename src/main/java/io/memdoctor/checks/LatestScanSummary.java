package io.memdoctor.checks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.memdoctor.instances.InstanceId;

/**
 * What the newest keyspace scan of an instance found, for the {@code big-keys} and {@code keys-without-ttl}
 * checks. The scans feature provides the implementation; without one, every instance has "no scan yet".
 */
public interface LatestScanSummary {

    /** The summary of the newest finished scan, or empty when none has run. */
    Optional<ScanFindings> latest(InstanceId id);

    /** No scans at all: what the checks use until the scans feature registers a bean. */
    LatestScanSummary NONE = id -> Optional.empty();

    /**
     * @param finishedAt when the scan finished
     * @param keysScanned keys the scan visited
     * @param bigKeys keys over the scan's size thresholds, biggest first
     * @param patterns key patterns (namespaces) with how many of their keys have no TTL
     */
    record ScanFindings(Instant finishedAt, long keysScanned, List<BigKey> bigKeys, List<PatternTtl> patterns) {

        public ScanFindings {
            bigKeys = List.copyOf(bigKeys);
            patterns = List.copyOf(patterns);
        }
    }

    /**
     * @param key the key, printable
     * @param cliKey the key as one redis-cli argument (quoted when it needs to be)
     * @param type Redis type ({@code list}, {@code hash}, ...)
     * @param bytes {@code MEMORY USAGE} of the key, {@code null} when the server refused it
     * @param elements items in the collection (1 for strings)
     * @param node the node ({@code host:port}) it was found on in a cluster-wide scan, {@code null} otherwise
     */
    record BigKey(String key, String cliKey, String type, Long bytes, long elements, String node) {

        /** A key of a scan of one server. */
        public BigKey(String key, String cliKey, String type, Long bytes, long elements) {
            this(key, cliKey, type, bytes, elements, null);
        }
    }

    /**
     * @param pattern the namespace, such as {@code user:*:feed}
     * @param keys keys of that pattern
     * @param withoutTtl how many of them have no expiry
     * @param bytes their memory
     */
    record PatternTtl(String pattern, long keys, long withoutTtl, long bytes) {
    }
}
