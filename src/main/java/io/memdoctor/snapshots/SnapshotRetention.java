package io.memdoctor.snapshots;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
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
 */
@Component
class SnapshotRetention {

    private static final Logger log = LoggerFactory.getLogger(SnapshotRetention.class);
    /** Minutes rolled again at each run, so samples stored late still land in their minute. */
    private static final Duration REVISIT = Duration.ofMinutes(5);
    /** How long after a minute ends before it is rolled up. */
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration CHUNK = Duration.ofDays(1);

    private final InstanceService instances;
    private final SnapshotRepository repository;
    private final MemDoctorProperties.Retention retention;
    private final Clock clock;

    SnapshotRetention(InstanceService instances, SnapshotRepository repository, MemDoctorProperties properties,
            Clock clock) {
        this.instances = instances;
        this.repository = repository;
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
        Instant rawCutoff = now.minus(retention.raw());
        int rolled = 0;
        int dropped = 0;
        int expired = 0;
        for (Instance instance : instances.findAll()) {
            Instant from = repository.rolledUntil(instance.id()).map(until -> until.minus(REVISIT))
                    .or(() -> repository.oldestRaw(instance.id())).orElse(completeBefore)
                    .truncatedTo(ChronoUnit.MINUTES);
            // a day at a time, so a first run over a long history holds no lock for long; chunks start on a
            // minute, or one minute would be rolled up twice and the second half would replace the first
            for (Instant start = from; start.isBefore(completeBefore); start = start.plus(CHUNK)) {
                Instant end = start.plus(CHUNK).isBefore(completeBefore) ? start.plus(CHUNK) : completeBefore;
                rolled += repository.rollUp(instance.id(), start, end);
            }
            rollUpCoarse(instance, completeBefore);
            Instant rolledUntil = repository.rolledUntil(instance.id()).orElse(Instant.EPOCH);
            // whole minutes only, so the oldest kept minute is either all raw or all rolled up
            Instant dropBefore = (rawCutoff.isBefore(rolledUntil) ? rawCutoff : rolledUntil)
                    .truncatedTo(ChronoUnit.MINUTES);
            dropped += repository.deleteRawBefore(instance.id(), dropBefore);
            expired += repository.deleteRollupsBefore(instance.id(), now.minus(retention.rollup()));
        }
        if (dropped > 0 || expired > 0) {
            log.info("Retention: rolled up {} minutes, dropped {} raw samples and {} expired rollups", rolled,
                    dropped, expired);
        }
        return new Result(rolled, dropped, expired);
    }

    /*
     * A 10-minute row once its ten minutes are rolled up, an hourly row once its six 10-minute rows are. Each run
     * rolls the newest row of a level again (with the one before it), so minutes rolled up late still reach it.
     */
    private void rollUpCoarse(Instance instance, Instant minutesCompleteBefore) {
        for (RollupLevel level : RollupLevel.values()) {
            RollupLevel finer = level.finer();
            if (finer == null) {
                continue;
            }
            long width = level.widthMillis();
            Instant finerUntil = repository.rolledUntil(finer, instance.id()).orElse(Instant.EPOCH);
            Instant until = finerUntil.isBefore(minutesCompleteBefore) ? finerUntil : minutesCompleteBefore;
            Instant completeBefore = Instant.ofEpochMilli(until.toEpochMilli() / width * width);
            Optional<Instant> start = repository.rolledUntil(level, instance.id())
                    .map(end -> end.minus(level.width()))
                    .or(() -> repository.oldestRollup(finer, instance.id()));
            if (start.isEmpty()) {
                continue;
            }
            Instant from = Instant.ofEpochMilli(start.get().toEpochMilli() / width * width);
            for (Instant chunk = from; chunk.isBefore(completeBefore); chunk = chunk.plus(CHUNK)) {
                Instant end = chunk.plus(CHUNK).isBefore(completeBefore) ? chunk.plus(CHUNK) : completeBefore;
                repository.rollUp(level, instance.id(), chunk, end);
            }
        }
    }

    @EventListener
    void onRemoved(InstanceRemoved event) {
        repository.deleteAll(event.id());
    }

    record Result(int minutesRolledUp, int rawDropped, int rollupsDropped) {
    }
}
