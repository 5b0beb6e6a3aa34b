package io.memdoctor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.forecast.Forecast;
import io.memdoctor.forecast.ForecastService;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.SnapshotStored;
import io.memdoctor.snapshots.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Evaluates every rule of an instance on each of its stored samples. The state each rule needs (previous counters,
 * the last hour's TTL share, the outage's start) is kept in memory, and the database is written only when an alert
 * changes state, so a sample costs a few microseconds of arithmetic (see AlertEngineCostTests). The forecast, the
 * newest scan and the checks are read through their own caches, and only when their rule is on; the checks, which ask
 * Redis, run off this thread ({@link CriticalChecks}).
 */
@Service
public class AlertEngine {

    private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);
    static final Duration SCAN_EVERY = Duration.ofMinutes(1);

    private final InstanceService instances;
    private final RuleSettings settings;
    private final AlertRepository repository;
    private final ForecastService forecasts;
    private final CriticalChecks checks;
    private final ObjectProvider<LatestScanSummary> scans;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Map<String, InstanceTrack> tracks = new ConcurrentHashMap<>();
    /** Active (PENDING or FIRING) alerts by instance id, then rule. */
    private final Map<String, Map<AlertRule, Alert>> active = new ConcurrentHashMap<>();

    AlertEngine(InstanceService instances, RuleSettings settings, AlertRepository repository,
            ForecastService forecasts, CriticalChecks checks, ObjectProvider<LatestScanSummary> scans,
            ApplicationEventPublisher events, Clock clock) {
        this.instances = instances;
        this.settings = settings;
        this.repository = repository;
        this.forecasts = forecasts;
        this.checks = checks;
        this.scans = scans;
        this.events = events;
        this.clock = clock;
        for (Alert alert : repository.active()) {
            AlertRule.byId(alert.rule()).ifPresent(rule -> rules(alert.instanceId()).put(rule, alert));
        }
    }

    @EventListener
    void onStored(SnapshotStored event) {
        try {
            if (instances.exists(event.snapshot().instanceId())) {
                evaluate(event.snapshot());
            }
        }
        catch (RuntimeException ex) {
            // an alert rule must never break sampling
            log.warn("Alert evaluation failed for {}: {}", event.snapshot().instanceId(), ex.toString());
        }
    }

    /** Applies every rule of the sample's instance; answers the alerts active afterwards. */
    Map<AlertRule, Alert> evaluate(Snapshot snapshot) {
        String id = snapshot.instanceId().value();
        InstanceTrack track = tracks.computeIfAbsent(id, key -> new InstanceTrack());
        synchronized (track) {
            if (track.latest != null && snapshot.timestamp().isBefore(track.latest.timestamp())) {
                // a sample that arrives after a newer one (an added instance's first sample, a late batch) says
                // nothing new: evaluating it would move the alerts back in time
                return Map.copyOf(rules(id));
            }
            track.update(snapshot);
            Instant now = snapshot.timestamp();
            Facts facts = new Facts(now, track.latest, track.lastOk, track.downFor(now), track.oomGrewAt,
                    track.evictionsGrewAt, track.ttlShare, track.ttlShareHourMax(),
                    on(AlertRule.FORECAST_FULL, id) ? forecast(snapshot.instanceId()) : null,
                    on(AlertRule.BIG_KEY, id) ? scan(track, snapshot.instanceId(), now) : null,
                    on(AlertRule.CRITICAL_CHECK, id) && snapshot.isOk() ? checks.current(id, now)
                            : checks.last(id));
            Map<AlertRule, Alert> mine = rules(id);
            for (AlertRule rule : AlertRule.values()) {
                if (!snapshot.isOk() && rule != AlertRule.INSTANCE_DOWN) {
                    // a failed sample says nothing about memory: alerts stay as they are until one answers
                    continue;
                }
                RuleSetting setting = settings.effective(rule, id);
                Optional<Condition> condition = setting.enabled() ? RuleConditions.evaluate(setting, facts)
                        : Optional.empty();
                step(rule, setting, condition, mine.get(rule), id, now);
            }
            return Map.copyOf(mine);
        }
    }

    private void step(AlertRule rule, RuleSetting setting, Optional<Condition> condition, Alert current, String id,
            Instant now) {
        if (condition.isPresent()) {
            if (current == null) {
                Condition c = condition.get();
                boolean fires = setting.forDuration().isZero();
                Alert created = repository.insert(new Alert(0, rule.id(), id,
                        fires ? AlertState.FIRING : AlertState.PENDING, rule.severity(), now, fires ? now : null,
                        null, c.summary(), c.values(), null, null, false));
                rules(id).put(rule, created);
                if (fires) {
                    events.publishEvent(new AlertTransition(created));
                }
            }
            else if (current.state() == AlertState.PENDING
                    && !now.isBefore(current.startsAt().plus(setting.forDuration()))) {
                // fires with the values of this sample: they are the ones that held for the whole 'for'
                Alert fired = new Alert(current.id(), current.rule(), id, AlertState.FIRING, current.severity(),
                        current.startsAt(), now, null, condition.get().summary(), condition.get().values(),
                        current.acknowledgedBy(), current.acknowledgedAt(), false);
                repository.delete(current.id());
                Alert stored = repository.insert(fired);
                rules(id).put(rule, stored);
                events.publishEvent(new AlertTransition(stored));
            }
            return;
        }
        if (current == null) {
            return;
        }
        rules(id).remove(rule);
        if (current.state() == AlertState.PENDING) {
            // never fired: nobody was told, nothing to keep
            repository.delete(current.id());
            return;
        }
        Alert resolved = current.withState(AlertState.RESOLVED, current.firedAt(), now);
        repository.updateState(resolved);
        events.publishEvent(new AlertTransition(resolved));
    }

    private boolean on(AlertRule rule, String instanceId) {
        return settings.effective(rule, instanceId).enabled();
    }

    private Forecast forecast(InstanceId id) {
        return forecasts.forecast(id);
    }

    private LatestScanSummary.ScanFindings scan(InstanceTrack track, InstanceId id, Instant now) {
        if (track.scanReadAt == null || !now.isBefore(track.scanReadAt.plus(SCAN_EVERY))) {
            track.scanReadAt = now;
            LatestScanSummary source = scans.getIfUnique(() -> LatestScanSummary.NONE);
            track.scan = source.latest(id).orElse(null);
        }
        return track.scan;
    }

    private Map<AlertRule, Alert> rules(String instanceId) {
        return active.computeIfAbsent(instanceId, key -> new ConcurrentHashMap<>());
    }

    /** Active alerts of an instance (PENDING and FIRING), from memory. */
    public List<Alert> active(String instanceId) {
        Map<AlertRule, Alert> mine = active.get(instanceId);
        return mine == null ? List.of() : List.copyOf(mine.values());
    }

    /** Every active alert, from memory. */
    public List<Alert> active() {
        return active.values().stream().flatMap(m -> m.values().stream()).toList();
    }

    /** Replaces an active alert's copy after an acknowledgement. */
    void refresh(Alert alert) {
        AlertRule.byId(alert.rule()).ifPresent(rule -> {
            Map<AlertRule, Alert> mine = active.get(alert.instanceId());
            if (mine != null && mine.containsKey(rule) && mine.get(rule).id() == alert.id()) {
                mine.put(rule, alert);
            }
        });
    }

    @EventListener
    void onRemoved(InstanceRemoved event) {
        String id = event.id().value();
        tracks.remove(id);
        checks.forget(id);
        active.remove(id);
        repository.deleteInstance(id);
        settings.forgetInstance(id);
    }

    Clock clock() {
        return clock;
    }
}
