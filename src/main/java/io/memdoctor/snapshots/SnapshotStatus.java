package io.memdoctor.snapshots;

/** How a sample went. Failed samples are stored too, so gaps in the history are explicit. */
public enum SnapshotStatus {
    /** INFO answered. */
    OK,
    /** No connection, or no answer within the timeout. */
    UNREACHABLE,
    /** Connected, but Redis refused (authentication, ACL) or answered something unusable. */
    ERROR
}
