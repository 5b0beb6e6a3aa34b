package io.memdoctor.alerts;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's copies of the active (PENDING or FIRING) alerts, by instance then rule: what a sample's rules compare
 * with, without reading the database. A single dashboard holds every instance's; a replica those of the instances it
 * samples, read again from the database when it gains one or when a conditional write says another replica moved on.
 */
final class AlertCopies {

    private final AlertRepository repository;
    private final Map<String, Map<AlertRule, Alert>> byInstance = new ConcurrentHashMap<>();

    AlertCopies(AlertRepository repository) {
        this.repository = repository;
    }

    /** Every stored active alert (a single dashboard, at start). */
    void loadAll() {
        for (Alert alert : repository.active()) {
            AlertRule.byId(alert.rule()).ifPresent(rule -> of(alert.instanceId()).put(rule, alert));
        }
    }

    /** The instance's copies, changed in place. */
    Map<AlertRule, Alert> of(String instanceId) {
        return byInstance.computeIfAbsent(instanceId, key -> new ConcurrentHashMap<>());
    }

    /** Replaces the instance's copies, in place, with its active alerts as stored. */
    void reload(String instanceId) {
        Map<AlertRule, Alert> mine = of(instanceId);
        Map<AlertRule, Alert> stored = new EnumMap<>(AlertRule.class);
        for (Alert alert : repository.active(instanceId)) {
            AlertRule.byId(alert.rule()).ifPresent(rule -> stored.put(rule, alert));
        }
        mine.keySet().retainAll(stored.keySet());
        mine.putAll(stored);
    }

    void forget(String instanceId) {
        byInstance.remove(instanceId);
    }

    List<Alert> active(String instanceId) {
        Map<AlertRule, Alert> mine = byInstance.get(instanceId);
        return mine == null ? List.of() : List.copyOf(mine.values());
    }

    List<Alert> all() {
        return byInstance.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    /** Replaces an active alert's copy after an acknowledgement. */
    void refresh(Alert alert) {
        AlertRule.byId(alert.rule()).ifPresent(rule -> {
            Map<AlertRule, Alert> mine = byInstance.get(alert.instanceId());
            if (mine != null && mine.containsKey(rule) && mine.get(rule).id() == alert.id()) {
                mine.put(rule, alert);
            }
        });
    }
}
