package io.memdoctor.diagnosis;

/** How serious a finding is, from the headroom left: against maxmemory, host memory and a fork's worst case. */
public enum Severity {
    /** Worth knowing; no action needed now (a routine fork with ample headroom, a queue that drains). */
    INFO,
    /** Act soon: it grows without bound, or the headroom is thin. */
    WARNING,
    /** Act now: writes are refused, or the ceiling or the host's memory is about to be reached. */
    CRITICAL
}
