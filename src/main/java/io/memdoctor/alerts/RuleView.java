package io.memdoctor.alerts;

import java.util.List;

/**
 * A rule as {@code GET /api/alerts/rules} shows it.
 *
 * @param rule the rule's id
 * @param description what it watches
 * @param severity how urgent its alerts are
 * @param unit what the threshold counts in, {@code null} without a threshold
 * @param defaults the built-in setting
 * @param global the setting every instance gets unless overridden
 * @param overrides per-instance settings
 */
record RuleView(String rule, String description, Severity severity, String unit, Setting defaults, Setting global,
        List<Setting> overrides) {

    /**
     * @param instanceId {@code null} for defaults and the global setting
     * @param enabled on or off
     * @param threshold in {@code unit}
     * @param forSeconds how long the condition must hold before firing
     */
    record Setting(String instanceId, boolean enabled, Double threshold, long forSeconds) {

        static Setting of(RuleSetting s) {
            return new Setting(s.instanceId(), s.enabled(), s.threshold(), s.forDuration().toSeconds());
        }
    }

    static RuleView of(AlertRule rule, RuleSettings settings) {
        return new RuleView(rule.id(), rule.description(), rule.severity(), rule.unit(), Setting.of(rule.defaults()),
                Setting.of(settings.global(rule)), settings.overrides(rule).stream().map(Setting::of).toList());
    }
}
