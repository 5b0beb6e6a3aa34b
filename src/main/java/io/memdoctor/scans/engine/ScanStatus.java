package io.memdoctor.scans.engine;

/** Where a scan is in its life. Every status but {@link #RUNNING} is final and has its results stored. */
public enum ScanStatus {
    /** Scanning now. */
    RUNNING,
    /** Went through the whole keyspace (or all keys matching its filter). */
    DONE,
    /** Stopped on request; the keys measured until then are kept. */
    CANCELLED,
    /** Stopped by an error (Redis gone, timed out); the keys measured until then are kept. */
    FAILED,
    /** Was running when the dashboard stopped. */
    INTERRUPTED;

    public boolean ended() {
        return this != RUNNING;
    }
}
