package io.memdoctor.alerts;

/**
 * An alert began to fire, or stopped firing: what notifications are sent on.
 *
 * @param alert the alert as it is now (FIRING or RESOLVED)
 */
public record AlertTransition(Alert alert) {
}
