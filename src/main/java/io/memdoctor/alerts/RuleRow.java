package io.memdoctor.alerts;

import java.util.List;

/**
 * A rule as a row of the alerts page: the setting shown (global, or what applies to one instance) and whether that
 * instance has its own.
 *
 * @param rule the rule's id
 * @param description what it watches
 * @param severity how urgent its alerts are
 * @param unit what the threshold counts in, {@code null} without a threshold
 * @param setting what the row's form edits
 * @param own true when the row is an instance's own setting rather than the global one it inherits
 * @param overrides the instances with their own setting (global rows)
 */
record RuleRow(String rule, String description, Severity severity, String unit, RuleView.Setting setting,
        boolean own, List<RuleView.Setting> overrides) {

    static RuleRow of(AlertRule rule, RuleSettings settings, String instanceId) {
        List<RuleView.Setting> overrides = settings.overrides(rule).stream().map(RuleView.Setting::of).toList();
        boolean own = instanceId != null && overrides.stream().anyMatch(o -> o.instanceId().equals(instanceId));
        RuleSetting shown = instanceId == null ? settings.global(rule) : settings.effective(rule, instanceId);
        return new RuleRow(rule.id(), rule.description(), rule.severity(), rule.unit(), RuleView.Setting.of(shown),
                own, overrides);
    }
}
