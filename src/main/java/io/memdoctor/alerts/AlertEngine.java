package io.memdoctor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.checks.LatestScanSummary;
import io.memdoctor.forecast.Forecast;
import io.memdoctor.forecast.ForecastService;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.MemoryLimits;
import io.memdoctor.sampling.SamplingOwnership;
import io.memdoctor.sampling.SamplingOwnershipChanged;
import io.memdoctor.sampling.SnapshotStored;
import io.memdoctor.snapshots.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Evaluates every rule of an instance on each of its stored samples. The state each rule needs (previous counters,
 * the last hour's TTL share, the outage's start) is kept in memory, and the database is written only when an alert
 * changes state, so a sample costs a few microseconds of arithmetic (see AlertEngineCostTests). The forecast, the
 * newest scan and the checks are read through their own caches, and only when their rule is on; the checks, which ask
 * Redis, run off this thread ({@link CriticalChecks}).
 *
 * <p>With replicas ({@link SamplingOwnership#shared()}) each instance's rules are evaluated by the replica sampling
 * it, and only there: an instance it gains ({@link SamplingOwnershipChanged}) has its active alerts reloaded from the
 * database before its first sample here, one it loses is forgotten. Every transition is a conditional write (an
 * insert under the one-active-alert-per-rule index, a move out of the state the copy had), and only the replica whose
 * write took effect publishes it: an alert notifies once per transition, whichever replica samples.
 */
@Service
public class AlertEngine {

    private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);
    static final Duration SCAN_EVERY = Duration.ofMinutes(1);

    private final InstanceService instances;
    private final MemoryLimits limits;
    private final RuleSettings settings;
    private final AlertRepository repository;
    private final ForecastService forecasts;
    private final CriticalChecks checks;
    private final ObjectProvider<LatestScanSummary> scans;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Map<String, InstanceTrack> tracks = new ConcurrentHashMap<>();
    private final AlertCopies active;
    private final boolean shared;
    /** With replicas: the instances this replica samples, and those of them whose alerts are still to be read. */
    private final Set<String> owned = ConcurrentHashMap.newKeySet();
    private final Set<String> unread = ConcurrentHashMap.newKeySet();

    AlertEngine(InstanceService instances, MemoryLimits limits, RuleSettings settings, AlertRepository repository,
            ForecastService forecasts, CriticalChecks checks, ObjectProvider<LatestScanSummary> scans,
            ApplicationEventPublisher events, Clock clock, ObjectProvider<SamplingOwnership> ownership) {
        this.instances = instances;
        this.limits = limits;
        this.settings = settings;
        this.repository = repository;
        this.forecasts = forecasts;
        this.checks = checks;
        this.scans = scans;
        this.events = events;
        this.clock = clock;
        this.active = new AlertCopies(repository);
        this.shared = ownership.getIfAvailable(() -> SamplingOwnership.EVERYTHING).shared();
        if (!shared) {
            // one process evaluates every instance: its memory is the truth, read once
            active.loadAll();
        }
    }

    @EventListener
    void onStored(SnapshotStored event) {
        try {
            String id = event.snapshot().instanceId().value();
            // with replicas, a late sample of an instance handed over since is the new owner's business
            if ((!shared || owned.contains(id)) && instances.exists(event.snapshot().instanceId())) {
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
            if (unread.remove(id)) {
                try {
                    active.reload(id);
                }
                catch (RuntimeException ex) {
                    unread.add(id);
                    throw ex;
                }
            }
            if (track.latest != null && snapshot.timestamp().isBefore(track.latest.timestamp())) {
                // a sample that arrives after a newer one (an added instance's first sample, a late batch) says
                // nothing new: evaluating it would move the alerts back in time
                return Map.copyOf(active.of(id));
            }
            track.update(snapshot);
            Instant now = snapshot.timestamp();
            RuleInputs inputs = new RuleInputs(now, track.latest, track.lastOk, track.downFor(now), track.oomGrewAt,
                    track.evictionsGrewAt, track.ttlShare, track.ttlShareHourMax(),
                    on(AlertRule.FORECAST_FULL, id) ? forecast(snapshot.instanceId()) : null,
                    on(AlertRule.BIG_KEY, id) ? scan(track, snapshot.instanceId(), now) : null,
                    on(AlertRule.CRITICAL_CHECK, id) && snapshot.isOk() ? checks.current(id, now)
                            : checks.last(id),
                    // from memory, at most 10 s old: a PUT through another replica applies within that
                    snapshot.isOk() && (on(AlertRule.MEMORY_HIGH, id) || on(AlertRule.RSS_HIGH, id))
                            ? limits.of(snapshot.instanceId()).orElse(null) : null);
            Map<AlertRule, Alert> mine = active.of(id);
            for (AlertRule rule : AlertRule.values()) {
                if (!snapshot.isOk() && rule != AlertRule.INSTANCE_DOWN) {
                    // a failed sample says nothing about memory: alerts stay as they are until one answers
                    continue;
                }
                RuleSetting setting = settings.effective(rule, id);
                Optional<Condition> condition = setting.enabled() ? RuleConditions.evaluate(setting, inputs)
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
                insert(new Alert(0, rule.id(), id, fires ? AlertState.FIRING : AlertState.PENDING, rule.severity(),
                        now, fires ? now : null, null, c.summary(), c.values(), null, null, false), id)
                        .ifPresent(created -> {
                            active.of(id).put(rule, created);
                            if (fires) {
                                events.publishEvent(new AlertTransition(created));
                            }
                        });
            }
            else if (current.state() == AlertState.PENDING
                    && !now.isBefore(current.startsAt().plus(setting.forDuration()))) {
                // fires with the values of this sample: they are the ones that held for the whole 'for'
                Alert fired = new Alert(current.id(), current.rule(), id, AlertState.FIRING, current.severity(),
                        current.startsAt(), now, null, condition.get().summary(), condition.get().values(),
                        current.acknowledgedBy(), current.acknowledgedAt(), false);
                if (!repository.delete(current.id())) {
                    // another replica moved it on (it sampled the instance meanwhile): take the stored state
                    active.reload(id);
                    return;
                }
                insert(fired, id).ifPresent(stored -> {
                    active.of(id).put(rule, stored);
                    events.publishEvent(new AlertTransition(stored));
                });
            }
            return;
        }
        if (current == null) {
            return;
        }
        active.of(id).remove(rule);
        if (current.state() == AlertState.PENDING) {
            // never fired: nobody was told, nothing to keep
            repository.delete(current.id());
            return;
        }
        Alert resolved = current.withState(AlertState.RESOLVED, current.firedAt(), now);
        if (repository.updateState(resolved, AlertState.FIRING)) {
            events.publishEvent(new AlertTransition(resolved));
        }
    }

    /**
     * Stores a new active alert; empty when the rule already has one stored (another replica inserted it: the
     * unique index said so), which is then taken instead, unannounced.
     */
    private Optional<Alert> insert(Alert alert, String id) {
        try {
            return Optional.of(repository.insert(alert));
        }
        catch (DuplicateKeyException ex) {
            log.info("Alert {} on {} is active already (another replica stored it): taking it", alert.rule(), id);
            active.reload(id);
            return Optional.empty();
        }
    }

    /**
     * With replicas: a gained instance starts afresh (its alerts read from the database at its first sample here,
     * its counters from that sample on), a lost one is forgotten, so this replica neither repeats its alerts nor
     * shows stale copies.
     */
    @EventListener
    void onOwnershipChanged(SamplingOwnershipChanged event) {
        for (InstanceId lost : event.lost()) {
            owned.remove(lost.value());
            unread.remove(lost.value());
            forgetState(lost.value());
        }
        for (InstanceId gained : event.gained()) {
            forgetState(gained.value());
            unread.add(gained.value());
            owned.add(gained.value());
        }
    }

    /** Counters, the last checks and the copies of the active alerts: what a change of owner makes stale. */
    private void forgetState(String id) {
        tracks.remove(id);
        checks.forget(id);
        active.forget(id);
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

    /** Whether replicas share the instances (this memory then holds only the instances sampled here). */
    boolean shared() {
        return shared;
    }

    /** Active alerts of an instance (PENDING and FIRING), from memory: with replicas, only if sampled here. */
    public List<Alert> active(String instanceId) {
        return active.active(instanceId);
    }

    /** Every active alert, from memory: with replicas, those of the instances sampled here. */
    public List<Alert> active() {
        return active.all();
    }

    /** Replaces an active alert's copy after an acknowledgement. */
    void refresh(Alert alert) {
        active.refresh(alert);
    }

    @EventListener
    void onRemoved(InstanceRemoved event) {
        String id = event.id().value();
        tracks.remove(id);
        checks.forget(id);
        active.forget(id);
        owned.remove(id);
        unread.remove(id);
        repository.deleteInstance(id);
        settings.forgetInstance(id);
    }

    Clock clock() {
        return clock;
    }
}
