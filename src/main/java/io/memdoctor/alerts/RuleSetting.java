package io.memdoctor.alerts;

import java.time.Duration;

/**
 * How one rule is set, for every instance ({@code instanceId} null) or for one.
 *
 * @param rule the rule
 * @param instanceId the instance it applies to, {@code null} for the global setting
 * @param enabled whether the rule is evaluated
 * @param threshold the threshold in the rule's unit, {@code null} for rules without one
 * @param forDuration how long the condition must hold before the alert fires
 */
public record RuleSetting(AlertRule rule, String instanceId, boolean enabled, Double threshold, Duration forDuration) {

    public RuleSetting {
        if (rule.defaultThreshold() == null) {
            threshold = null;
        }
        else if (threshold == null || threshold.isNaN() || threshold <= 0 || threshold > 1e12) {
            throw new IllegalArgumentException("'threshold' of rule " + rule.id() + " must be a positive number in "
                    + rule.unit() + " (default " + rule.defaultThreshold() + ")");
        }
        if (forDuration == null || forDuration.isNegative() || forDuration.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("'forSeconds' of rule " + rule.id() + " must be between 0 and 86400");
        }
    }
}
