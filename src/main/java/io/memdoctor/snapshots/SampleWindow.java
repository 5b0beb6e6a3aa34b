package io.memdoctor.snapshots;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.instances.InstanceId;
import org.springframework.stereotype.Component;

/**
 * The samples a rule reads for a range: every raw sample while there are few enough (an hour at 1-second sampling
 * is 3,600), else the spike-preserving history, kept in strict time order.
 *
 * <p>Raw samples first because the rules compare first and last values and fit lines: the min/max points of a
 * downsampled or rolled-up series are synthetic (each bucket's minima at its start, maxima at its end), which is
 * right for a chart's envelope but blurs a regression.
 */
@Component
class SampleWindow {

    /** Up to this many raw samples are read as they are. */
    static final int RAW_LIMIT = 20_000;

    private final SnapshotRepository repository;
    private final RollupRepository rollups;
    private final RangeReader ranges;

    SampleWindow(SnapshotRepository repository, RollupRepository rollups, RangeReader ranges) {
        this.repository = repository;
        this.rollups = rollups;
        this.ranges = ranges;
    }

    /** Samples of {@code [from, to)} in strict time order, at most about {@code maxPoints} when there are many. */
    List<Snapshot> read(InstanceId id, Instant from, Instant to, int maxPoints) {
        Instant oldestRaw = repository.oldestRaw(id).orElse(to);
        // raw samples cover the range unless older ones were dropped and only their rollups remain
        Instant rawMinute = oldestRaw.truncatedTo(ChronoUnit.MINUTES);
        boolean rawCoversRange = !oldestRaw.isAfter(from) || !rawMinute.isAfter(from)
                || rollups.countRollups(id, from, rawMinute).rows() == 0;
        if (rawCoversRange && repository.countRaw(id, from, to, RAW_LIMIT) <= RAW_LIMIT) {
            return repository.findRaw(id, from, to);
        }
        List<Snapshot> points = ranges.read(id, from, to, maxPoints).points();
        List<Snapshot> ordered = new ArrayList<>(points.size());
        for (Snapshot point : points) {
            if (ordered.isEmpty() || point.timestamp().isAfter(ordered.get(ordered.size() - 1).timestamp())) {
                ordered.add(point);
            }
        }
        return ordered;
    }
}
