package io.memdoctor.snapshots;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.SnapshotHistory.HistoryResult;
import org.springframework.stereotype.Component;

/**
 * Answers "what did this instance look like from A to B, in at most N points".
 *
 * <p>Short ranges read raw samples. When a bucket would span a minute or more, rollups are read instead of raw rows:
 * the coarsest level no wider than a bucket (minutes, 10 minutes or hours), then finer levels for the stretch the
 * coarse one does not reach yet, then raw samples for the newest minutes not rolled up at all. At 1000 points a
 * 7-day chart reads about 1,000 10-minute rows and a 30-day chart about 720 hourly rows, instead of 600,000 or
 * 2.6 million samples at 1-second sampling. Rollups also fill in ranges older than raw retention.
 */
@Component
class RangeReader {

    private final SnapshotRepository repository;
    private final RollupRepository rollupStore;

    RangeReader(SnapshotRepository repository, RollupRepository rollupStore) {
        this.repository = repository;
        this.rollupStore = rollupStore;
    }

    /**
     * The samples of {@code [from, to)}, in time order, reduced to about {@code maxPoints} points when there are
     * more.
     */
    HistoryResult read(InstanceId id, Instant from, Instant to, int maxPoints) {
        long rangeMillis = Duration.between(from, to).toMillis();
        // a bucket gives at most three points (minimum, an outage, maximum), so this never exceeds maxPoints
        long buckets = Math.max(1, maxPoints / 3);
        long bucketMillis = Math.max(1, (rangeMillis + buckets - 1) / buckets);

        List<Segment> segments = new ArrayList<>();
        RollupLevel coarsest = RollupLevel.coarsestWithin(bucketMillis);
        Instant cursor;
        if (coarsest != null) {
            // coarse: each level as far as it reaches, from the coarsest down, raw samples after that; the row that
            // contains 'from' starts before it and must not be lost
            cursor = floor(from, coarsest);
            for (int level = coarsest.ordinal(); level >= 0; level--) {
                RollupLevel rollups = RollupLevel.values()[level];
                Instant reach = clamp(rollupStore.rolledUntil(rollups, id).orElse(cursor), cursor, to);
                if (reach.isAfter(cursor)) {
                    segments.add(new Segment(rollups, cursor, reach));
                    cursor = reach;
                }
            }
            cursor = clamp(cursor, from, to);
        }
        else {
            // fine: raw samples where they are kept, rollups only for whole minutes before the first raw sample
            // (the minute that holds it is read raw, or its rollup would repeat those samples, out of order)
            Instant rawStart = repository.oldestRaw(id).orElse(to);
            cursor = clamp(rawStart.truncatedTo(ChronoUnit.MINUTES), from, to);
            if (cursor.isAfter(from)) {
                segments.add(new Segment(RollupLevel.MINUTE, floor(from, RollupLevel.MINUTE), cursor));
            }
        }

        long rollupRows = 0;
        long samples = 0;
        for (Segment segment : segments) {
            RollupRepository.RollupCount count = rollupStore.countRollups(segment.level(), id, segment.from(),
                    segment.to());
            rollupRows += count.rows();
            samples += count.samples();
        }
        long rawCount = repository.countRaw(id, cursor, to);
        long total = rawCount + 2 * rollupRows;
        samples += rawCount;

        if (total <= maxPoints) {
            List<Snapshot> points = new ArrayList<>((int) total);
            for (Segment segment : segments) {
                Downsampler perRow = new Downsampler(id, segment.from(), 1);
                rollupStore.streamRollups(segment.level(), id, segment.from(), segment.to(), perRow::add);
                points.addAll(perRow.result());
            }
            repository.streamRaw(id, cursor, to, points::add);
            return new HistoryResult(points, samples, null);
        }
        Downsampler downsampler = new Downsampler(id, from, bucketMillis);
        for (Segment segment : segments) {
            rollupStore.streamRollups(segment.level(), id, segment.from(), segment.to(), downsampler::add);
        }
        repository.streamRaw(id, cursor, to, downsampler::add);
        return new HistoryResult(downsampler.result(), samples, Duration.ofMillis(bucketMillis));
    }

    private static Instant floor(Instant at, RollupLevel level) {
        long width = level.width().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), width) * width);
    }

    private static Instant clamp(Instant value, Instant min, Instant max) {
        return value.isBefore(min) ? min : value.isAfter(max) ? max : value;
    }

    /** Rows of one rollup level starting in {@code [from, to)}. */
    private record Segment(RollupLevel level, Instant from, Instant to) {
    }
}
