package io.memdoctor.scans;

/**
 * Which dashboard replica this is, for the scans it runs. Alone (the default), every scan left RUNNING in the store
 * was this process' before it stopped; with replicas sharing the store, only those whose heartbeat went stale.
 *
 * @param id this replica's name, written as the owner of the scans it runs
 * @param shared whether other replicas share the store
 */
public record ScanReplica(String id, boolean shared) {

    /** A dashboard with a store of its own. */
    public static final ScanReplica ALONE = new ScanReplica("this", false);
}
