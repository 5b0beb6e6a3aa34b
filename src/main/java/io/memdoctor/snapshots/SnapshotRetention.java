package io.memdoctor.snapshots;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.InstanceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One housekeeping run (triggered every minute by {@link RetentionScheduler}): rolls the raw samples of each
 * finished minute up into per-minute min/avg/max rows, finished minutes into 10-minute rows and those into hourly
 * rows, drops raw samples older than {@code memdoctor.retention.raw} (only once they are rolled up) and rollups older
 * than {@code memdoctor.retention.rollup}. Rolling up continuously, not only at expiry, is what keeps long-range
 * charts cheap: a 7-day query reads 10-minute rows, a 30-day one hourly rows.
 *
 * <p>The fleet is rolled up in one statement per level, from the newest rolled minute of any instance (the
 * watermark, read from the database, so samples other replicas wrote are covered too) to the last finished minute;
 * minutes of the last {@link #REVISIT} that received samples after they were rolled up are found by counting and
 * rolled again, one by one. An instance the fleet's pass does not cover (new, history loaded in bulk, or idle) is
 * caught up on its own. See docs/decisions.md, "Rollups are set-based".
 */
@Component
class SnapshotRetention {

    private static final Logger log = LoggerFactory.getLogger(SnapshotRetention.class);
    /** How far back a sample stored late is still rolled into its minute. */
    private static final Duration REVISIT = Duration.ofMinutes(5);
    /** How long after a minute ends before it is rolled up. */
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration CHUNK = Duration.ofDays(1);
    /* a delete removes about this many rows at most, so a first run over a long backlog holds no huge transaction */
    private static final long DELETE_ROWS = 21_600;
    /* a statement over the fleet reads about this many rows at most (raw samples counted at 1 s) */
    private static final long FLEET_ROWS = 100_000;

    private final InstanceService instances;
    private final SnapshotRepository repository;
    private final RollupRepository rollups;
    private final MemDoctorProperties.Retention retention;
    private final Clock clock;

    SnapshotRetention(InstanceService instances, SnapshotRepository repository, RollupRepository rollups,
            MemDoctorProperties properties, Clock clock) {
        this.instances = instances;
        this.repository = repository;
        this.rollups = rollups;
        this.retention = properties.retention();
        this.clock = clock;
    }

    void run() {
        try {
            runAt(clock.instant());
        }
        catch (RuntimeException ex) {
            log.warn("Rollup and retention run failed: {}", ex.getMessage());
        }
    }

    /** One run as of {@code now}; returns what it did. Runs never overlap. */
    synchronized Result runAt(Instant now) {
        Instant completeBefore = now.minus(SETTLE).truncatedTo(ChronoUnit.MINUTES);
        Optional<Instant> watermark = rollups.rolledUntilOfAll(RollupLevel.MINUTE, completeBefore);
        Set<InstanceId> current = watermark.map(w -> rollups.rolledIn(w.minus(REVISIT), w)).orElse(Set.of());
        Map<RollupLevel, Instant> coarseUntil = new EnumMap<>(RollupLevel.class);
        for (RollupLevel level : COARSE) {
            coarseUntil.put(level, rollups.rolledUntilOfAll(level, completeBefore).orElse(Instant.EPOCH));
        }
        int rolled = 0;
        List<Instance> all = instances.findAll();
        for (Instance instance : all) {
            if (!current.contains(instance.id())) {
                rolled += catchUp(instance.id(), completeBefore);
            }
        }
        if (watermark.isPresent()) {
            rolled += rollUpLate(watermark.get(), completeBefore, coarseUntil);
            rolled += inChunks(watermark.get(), completeBefore, fleetChunk(RollupLevel.MINUTE, all.size()),
                    (from, to) -> rollups.rollUpAll(RollupLevel.MINUTE, from, to));
        }
        rollUpCoarseOfAll(completeBefore, coarseUntil, all.size());
        // whole minutes only, so the oldest kept minute is either all raw or all rolled up
        Instant rawCutoff = now.minus(retention.raw()).truncatedTo(ChronoUnit.MINUTES);
        Instant dropBefore = rawCutoff.isBefore(completeBefore) ? rawCutoff : completeBefore;
        int fleet = Math.max(1, all.size());
        int dropped = repository.deleteRawBefore(dropBefore,
                max(Duration.ofMinutes(1), Duration.ofSeconds(DELETE_ROWS / fleet)));
        int expired = 0;
        for (RollupLevel level : RollupLevel.values()) {
            expired += rollups.deleteAllBefore(level, now.minus(retention.rollup()),
                    max(level.width(), level.width().multipliedBy(DELETE_ROWS / fleet)));
        }
        if (dropped > 0 || expired > 0) {
            log.info("Retention: rolled up {} minutes, dropped {} raw samples and {} expired rollups", rolled,
                    dropped, expired);
        }
        return new Result(rolled, dropped, expired);
    }

    private static final List<RollupLevel> COARSE = List.of(RollupLevel.TEN_MINUTES, RollupLevel.HOUR);

    /*
     * Minutes of the last REVISIT that received samples after their roll-up (a slow write, another replica's clock):
     * rolled again, and so are their 10-minute and hourly rows when those were already made.
     */
    private int rollUpLate(Instant watermark, Instant completeBefore, Map<RollupLevel, Instant> coarseUntil) {
        Instant to = watermark.isBefore(completeBefore) ? watermark : completeBefore;
        Instant from = watermark.minus(REVISIT);
        if (!from.isBefore(to)) {
            return 0;
        }
        List<RollupRepository.LateMinute> late = rollups.lateMinutes(from, to);
        Set<String> redone = new HashSet<>();
        for (RollupRepository.LateMinute minute : late) {
            rollups.rollUp(minute.id(), minute.minute(), minute.minute().plus(RollupLevel.MINUTE.width()));
        }
        for (RollupLevel level : COARSE) {
            for (RollupRepository.LateMinute minute : late) {
                Instant start = floor(minute.minute(), level);
                Instant end = start.plus(level.width());
                if (!end.isAfter(coarseUntil.get(level)) && redone.add(level + minute.id().value() + start)) {
                    rollups.rollUp(level, minute.id(), start, end);
                }
            }
        }
        return late.size();
    }

    /* each coarse level of every instance, from its newest row of any instance up to its last complete row */
    private void rollUpCoarseOfAll(Instant minutesCompleteBefore, Map<RollupLevel, Instant> coarseUntil, int fleet) {
        Instant finerUntil = minutesCompleteBefore;
        for (RollupLevel level : COARSE) {
            Instant completeBefore = floor(finerUntil, level);
            Instant from = coarseUntil.get(level).equals(Instant.EPOCH)
                    ? rollups.oldestOfAll(level.finer()).map(start -> floor(start, level)).orElse(completeBefore)
                    : coarseUntil.get(level);
            inChunks(from, completeBefore, fleetChunk(level, fleet),
                    (start, end) -> rollups.rollUpAll(level, start, end));
            finerUntil = completeBefore;
        }
    }

    /* an instance the fleet's pass missed: its own minutes and coarse rows, as far as its samples reach */
    private int catchUp(InstanceId id, Instant completeBefore) {
        Optional<Instant> rolledUntil = rollups.rolledUntil(id);
        Optional<Instant> start = rolledUntil.isEmpty() ? repository.oldestRaw(id)
                : repository.countRaw(id, rolledUntil.get(), completeBefore, 0) == 0 ? Optional.empty()
                : rolledUntil.map(until -> until.minus(REVISIT));
        if (start.isEmpty()) {
            return 0; // no samples, or none since its last rolled minute
        }
        int rolled = inChunks(start.get().truncatedTo(ChronoUnit.MINUTES), completeBefore, CHUNK,
                (from, to) -> rollups.rollUp(id, from, to));
        rollUpCoarse(id, completeBefore);
        return rolled;
    }

    /*
     * A 10-minute row once its ten minutes are rolled up, an hourly row once its six 10-minute rows are. Each run
     * rolls the newest row of a level again (with the one before it), so minutes rolled up late still reach it.
     */
    private void rollUpCoarse(InstanceId id, Instant minutesCompleteBefore) {
        for (RollupLevel level : COARSE) {
            RollupLevel finer = level.finer();
            Instant finerUntil = rollups.rolledUntil(finer, id).orElse(Instant.EPOCH);
            Instant completeBefore = floor(finerUntil.isBefore(minutesCompleteBefore) ? finerUntil
                    : minutesCompleteBefore, level);
            Optional<Instant> start = rollups.rolledUntil(level, id).map(end -> end.minus(level.width()))
                    .or(() -> rollups.oldestRollup(finer, id));
            if (start.isPresent()) {
                inChunks(floor(start.get(), level), completeBefore, CHUNK,
                        (from, to) -> rollups.rollUp(level, id, from, to));
            }
        }
    }

    /*
     * A chunk at a time, so a first run over a long history holds no lock for long; chunks start on the level's
     * boundary (from does, and a chunk is whole rows), or one row would be rolled up twice and the second half would
     * replace the first.
     */
    private static int inChunks(Instant from, Instant before, Duration chunk, RollUp rollUp) {
        int rolled = 0;
        for (Instant start = from; start.isBefore(before); start = start.plus(chunk)) {
            Instant end = start.plus(chunk).isBefore(before) ? start.plus(chunk) : before;
            rolled += rollUp.apply(start, end);
        }
        return rolled;
    }

    private interface RollUp {
        int apply(Instant from, Instant to);
    }

    /*
     * For the whole fleet: whole rows of the level, about FLEET_ROWS source rows (raw samples at 1 s for minutes,
     * finer rows for the coarse levels), at most a day: a day behind at 1,000 instances is not one statement.
     */
    static Duration fleetChunk(RollupLevel level, int instances) {
        long sourceMillis = level.finer() == null ? 1000 : level.finer().widthMillis();
        long millis = sourceMillis * FLEET_ROWS / Math.max(1, instances) / level.widthMillis() * level.widthMillis();
        return Duration.ofMillis(Math.min(CHUNK.toMillis(), Math.max(level.widthMillis(), millis)));
    }

    private static Instant floor(Instant at, RollupLevel level) {
        long width = level.widthMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), width) * width);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @EventListener
    void onRemoved(InstanceRemoved event) {
        repository.deleteAll(event.id());
        rollups.deleteAll(event.id());
    }

    record Result(int minutesRolledUp, int rawDropped, int rollupsDropped) {
    }
}
