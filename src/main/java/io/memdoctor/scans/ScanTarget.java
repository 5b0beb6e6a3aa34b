package io.memdoctor.scans;

import io.memdoctor.instances.Instance;

/**
 * One node a scan runs on.
 *
 * @param node {@code host:port}
 * @param role {@code primary} or {@code replica}
 * @param primary for a replica, its primary's {@code host:port}; {@code null} for a primary
 * @param connection how to reach it: the instance itself, a replica reached with its primary's credentials and
 *     TLS, or a cluster node's own instance
 * @param readOnly whether to send {@code READONLY} first (a replica of a cluster)
 */
record ScanTarget(String node, String role, String primary, Instance connection, boolean readOnly) {

    static final String PRIMARY = "primary";
    static final String REPLICA = "replica";
}
