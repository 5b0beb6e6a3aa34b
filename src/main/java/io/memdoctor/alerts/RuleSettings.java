package io.memdoctor.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.config.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rules' settings: defaults, overridden globally, overridden per instance. Held in memory (read on every
 * sample), written through to {@code alert_rule_setting}; with replicas read again every few seconds.
 */
@Service
public class RuleSettings {

    static final String GLOBAL = "*";

    private final JdbcTemplate jdbc;
    private final String upsert;
    private final Map<String, RuleSetting> byKey = new ConcurrentHashMap<>();

    RuleSettings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // an upsert, not DELETE then INSERT: of two saves at once (two replicas), the second's INSERT met the
        // first's row and failed
        this.upsert = SqlDialect.of(jdbc.getDataSource()).upsert("alert_rule_setting", List.of("rule", "instance_id"),
                List.of("rule", "instance_id", "enabled", "threshold", "for_seconds"), "VALUES (?, ?, ?, ?, ?)");
        reload();
    }

    /**
     * Reads every setting from the database again: at start, and with replicas every few seconds
     * ({@link RuleSettingsRefresh}), so a change made through one replica reaches the others.
     */
    void reload() {
        Map<String, RuleSetting> stored = new java.util.HashMap<>();
        jdbc.query("SELECT rule, instance_id, enabled, threshold, for_seconds FROM alert_rule_setting", rs -> {
            Optional<AlertRule> rule = AlertRule.byId(rs.getString(1));
            if (rule.isEmpty()) {
                return;
            }
            String instance = rs.getString(2);
            double threshold = rs.getDouble(4);
            // Double.valueOf: with a bare double the ternary unboxes the default, null for rules without one
            Double t = rs.wasNull() ? rule.get().defaultThreshold() : Double.valueOf(threshold);
            RuleSetting setting = new RuleSetting(rule.get(), GLOBAL.equals(instance) ? null : instance,
                    rs.getBoolean(3), t, Duration.ofSeconds(rs.getLong(5)));
            stored.put(key(rule.get(), instance), setting);
        });
        byKey.putAll(stored);
        byKey.keySet().retainAll(stored.keySet());
    }

    private static String key(AlertRule rule, String instanceId) {
        return rule.id() + "\n" + (instanceId == null ? GLOBAL : instanceId);
    }

    /** What applies to the instance: its own setting, else the global one, else the rule's defaults. */
    public RuleSetting effective(AlertRule rule, String instanceId) {
        RuleSetting own = byKey.get(key(rule, instanceId));
        if (own != null) {
            return own;
        }
        RuleSetting global = byKey.get(key(rule, null));
        return global != null ? global : rule.defaults();
    }

    /** The global setting (defaults when never changed). */
    public RuleSetting global(AlertRule rule) {
        return byKey.getOrDefault(key(rule, null), rule.defaults());
    }

    /** The per-instance overrides of a rule. */
    public List<RuleSetting> overrides(AlertRule rule) {
        return byKey.values().stream().filter(s -> s.rule() == rule && s.instanceId() != null)
                .sorted(java.util.Comparator.comparing(RuleSetting::instanceId)).toList();
    }

    /** Stores settings (all or none). */
    @Transactional
    public void save(List<RuleSetting> settings) {
        for (RuleSetting s : settings) {
            String instance = s.instanceId() == null ? GLOBAL : s.instanceId();
            jdbc.update(upsert, s.rule().id(), instance, s.enabled(), s.threshold(), s.forDuration().toSeconds());
        }
        settings.forEach(s -> byKey.put(key(s.rule(), s.instanceId()), s));
    }

    /** Drops an instance's own setting of a rule, so the global one applies again. */
    @Transactional
    public void inherit(AlertRule rule, String instanceId) {
        jdbc.update("DELETE FROM alert_rule_setting WHERE rule = ? AND instance_id = ?", rule.id(), instanceId);
        byKey.remove(key(rule, instanceId));
    }

    void forgetInstance(String instanceId) {
        jdbc.update("DELETE FROM alert_rule_setting WHERE instance_id = ?", instanceId);
        byKey.values().removeIf(s -> instanceId.equals(s.instanceId()));
    }
}
