package io.memdoctor.scans.store;

import io.memdoctor.scans.engine.ScanStatus;

/**
 * The part of a scan that ran on one node: the one node of a plain scan (the primary, or the replica it was run
 * on), or one shard of a cluster-wide scan.
 *
 * @param node {@code host:port}
 * @param role {@code primary} or {@code replica}
 * @param primary for a replica, the primary whose keys it holds; {@code null} for a primary
 * @param status RUNNING, then how this node's scan ended (one node may fail while the others finish)
 * @param keysTotal DBSIZE of the node at the start, -1 if unknown
 * @param keysScanned keys SCAN returned on this node and that were looked at
 * @param elapsedMillis how long this node's scan ran
 * @param error why this node failed
 * @param keys keys measured on this node
 * @param bytes bytes measured on this node, {@code null} without MEMORY USAGE
 */
public record ScanPart(String node, String role, String primary, ScanStatus status, long keysTotal, long keysScanned,
        long elapsedMillis, String error, Long keys, Long bytes) {
}
