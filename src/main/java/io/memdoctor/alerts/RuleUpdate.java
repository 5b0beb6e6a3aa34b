package io.memdoctor.alerts;

import java.time.Duration;

/**
 * One change in {@code PUT /api/alerts/rules}: a rule's global setting ({@code instanceId} absent) or an instance's
 * own; missing fields keep what applies now. {@code inherit: true} drops the instance's own setting.
 *
 * @param rule the rule's id
 * @param instanceId the instance, or {@code null} for the global setting
 * @param enabled on or off
 * @param threshold in the rule's unit
 * @param forSeconds how long the condition must hold before firing
 * @param inherit drop the instance's own setting
 */
record RuleUpdate(String rule, String instanceId, Boolean enabled, Double threshold, Long forSeconds,
        Boolean inherit) {

    AlertRule alertRule() {
        return AlertRule.byId(rule == null ? "" : rule.strip()).orElseThrow(() -> new IllegalArgumentException(
                "'rule' must be one of " + java.util.Arrays.stream(AlertRule.values()).map(AlertRule::id).toList()));
    }

    RuleSetting apply(RuleSetting current) {
        return new RuleSetting(current.rule(), instanceId, enabled == null ? current.enabled() : enabled,
                threshold == null ? current.threshold() : threshold,
                forSeconds == null ? current.forDuration() : Duration.ofSeconds(forSeconds));
    }
}
