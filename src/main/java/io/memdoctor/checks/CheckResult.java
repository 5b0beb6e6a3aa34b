package io.memdoctor.checks;

import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param id stable identifier, such as {@code maxmemory-unset}
 * @param severity how urgent it is
 * @param title one line saying what was checked and how it came out
 * @param evidence the values that decided it, in human units
 * @param remedy the exact commands or redis.conf lines that fix it; empty when there is nothing to do
 */
public record CheckResult(String id, CheckSeverity severity, String title, String evidence, String remedy) {

    public CheckResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        evidence = evidence == null ? "" : evidence;
        remedy = remedy == null ? "" : remedy;
    }

    static CheckResult ok(String id, String title, String evidence) {
        return new CheckResult(id, CheckSeverity.OK, title, evidence, "");
    }

    static CheckResult unknown(String id, String title, String why) {
        return new CheckResult(id, CheckSeverity.UNKNOWN, title, why, "");
    }

    /** True for CRITICAL and WARNING: findings that need action. */
    public boolean actionable() {
        return severity == CheckSeverity.CRITICAL || severity == CheckSeverity.WARNING;
    }
}
