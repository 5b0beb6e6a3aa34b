package io.memdoctor.snapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.SnapshotHistory.HistoryResult;
import org.springframework.stereotype.Component;

/**
 * Answers "what did this instance look like from A to B, in at most N points".
 *
 * <p>Short ranges read raw samples. When a bucket would span a minute or more, the per-minute rollups are read
 * instead of raw rows (a 7-day window at 1-second sampling is ~10,000 rollups instead of ~600,000 samples), with raw
 * samples only for the newest minutes not rolled up yet. Rollups also fill in ranges older than raw retention.
 */
@Component
class RangeReader {

    private static final long MINUTE = 60_000;

    private final SnapshotRepository repository;

    RangeReader(SnapshotRepository repository) {
        this.repository = repository;
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

        Instant rawStart = repository.oldestRaw(id).orElse(to);
        Instant split;
        if (bucketMillis >= MINUTE) {
            // coarse: rollups as far as they reach, raw samples after that
            split = repository.rolledUntil(id).orElse(from);
        }
        else {
            // fine: raw samples where they are kept, rollups only for whole minutes before the first raw sample
            // (the minute that holds it is read raw, or its rollup would repeat those samples, out of order)
            split = rawStart.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        }
        split = clamp(split, from, to);

        // the minute that contains 'from' starts before it, and must not be lost
        Instant firstMinute = from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        SnapshotRepository.RollupCount rollups = split.isAfter(from)
                ? repository.countRollups(id, firstMinute, split) : new SnapshotRepository.RollupCount(0, 0);
        long rollupCount = rollups.rows();
        long rawCount = repository.countRaw(id, split, to);
        long total = rawCount + 2 * rollupCount;
        long samples = rawCount + rollups.samples();

        if (total <= maxPoints) {
            Downsampler perMinute = new Downsampler(id, from, 1);
            List<Snapshot> points = new ArrayList<>((int) total);
            if (rollupCount > 0) {
                repository.streamRollups(id, firstMinute, split, perMinute::add);
                points.addAll(perMinute.result());
            }
            repository.streamRaw(id, split, to, points::add);
            return new HistoryResult(points, samples, null);
        }
        Downsampler downsampler = new Downsampler(id, from, bucketMillis);
        if (rollupCount > 0) {
            repository.streamRollups(id, firstMinute, split, downsampler::add);
        }
        repository.streamRaw(id, split, to, downsampler::add);
        return new HistoryResult(downsampler.result(), samples, Duration.ofMillis(bucketMillis));
    }

    private static Instant clamp(Instant value, Instant min, Instant max) {
        return value.isBefore(min) ? min : value.isAfter(max) ? max : value;
    }
}
