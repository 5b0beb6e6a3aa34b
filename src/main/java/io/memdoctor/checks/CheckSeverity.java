package io.memdoctor.checks;

import java.util.Locale;

/** How urgent a check's finding is, most urgent first. */
public enum CheckSeverity {
    /** A cliff now: writes are failing or the host can run out of memory. */
    CRITICAL,
    /** A setting or a trend that will hurt; fix it before the next incident. */
    WARNING,
    /** Worth knowing; no action needed unless it matches what you are chasing. */
    INFO,
    /** Checked and fine. */
    OK,
    /** Could not be decided: the reason is in the evidence. */
    UNKNOWN;

    /** CSS modifier for the page: {@code sev-critical}, {@code sev-ok}, ... */
    public String css() {
        return "sev-" + name().toLowerCase(Locale.ROOT);
    }
}
