package io.memdoctor.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.RollupRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The used_memory points a forecast fits its line on: per-minute averages where minutes are rolled up, raw samples
 * after that, reduced to at most {@link #MAX_POINTS} bucket medians. Medians, so a spike inside a bucket does not
 * move the point; few points, so the pairwise slopes of Theil-Sen stay cheap (120 points: 7,140 slopes).
 */
@Component
class UsedMemorySeries {

    static final int MAX_POINTS = 120;
    /** Below this many rolled-up minutes in the window, raw samples are read instead (a young instance). */
    private static final Duration MIN_ROLLED = Duration.ofMinutes(20);

    private final JdbcTemplate jdbc;
    private final RollupRepository rollups;

    UsedMemorySeries(JdbcTemplate jdbc, RollupRepository rollups) {
        this.jdbc = jdbc;
        this.rollups = rollups;
    }

    /** The end of the instance's rolled-up minutes, read once for all the windows of one forecast. */
    Optional<Instant> rolledUntil(InstanceId id) {
        return rollups.rolledUntil(id);
    }

    /**
     * Points of {@code [now - window, now]}, time in seconds since {@code now} (so negative), in time order.
     *
     * @param rolledUntil {@link #rolledUntil(InstanceId)}: minutes before it are read from their rollups
     */
    List<TheilSen.Point> read(InstanceId id, Duration window, Instant now, Optional<Instant> rolledUntil) {
        Instant from = now.minus(window);
        Instant rolled = rolledUntil.orElse(from);
        List<TheilSen.Point> points = new ArrayList<>();
        Instant rawFrom = from;
        if (Duration.between(from, rolled).compareTo(MIN_ROLLED) >= 0) {
            // a minute's average stands at the middle of its minute
            jdbc.query("SELECT minute_start, used_memory_avg FROM snapshot_minute WHERE instance_id = ?"
                    + " AND minute_start >= ? AND minute_start < ? AND used_memory_avg IS NOT NULL"
                    + " ORDER BY instance_id, minute_start", rs -> {
                        points.add(point(rs.getLong(1) + 30_000, rs.getDouble(2), now));
                    }, id.value(), from.toEpochMilli(), rolled.toEpochMilli());
            rawFrom = rolled;
        }
        jdbc.query("SELECT sampled_at, used_memory FROM snapshot WHERE instance_id = ? AND sampled_at >= ?"
                + " AND sampled_at <= ? AND used_memory IS NOT NULL ORDER BY instance_id, sampled_at", rs -> {
                    points.add(point(rs.getLong(1), rs.getDouble(2), now));
                }, id.value(), rawFrom.toEpochMilli(), now.toEpochMilli());
        return medians(points, MAX_POINTS);
    }

    private static TheilSen.Point point(long epochMilli, double value, Instant now) {
        return new TheilSen.Point((epochMilli - now.toEpochMilli()) / 1000.0, value);
    }

    /** At most {@code buckets} points: the median time and median value of each equal-width time bucket. */
    static List<TheilSen.Point> medians(List<TheilSen.Point> points, int buckets) {
        if (points.size() <= buckets) {
            return points;
        }
        double first = points.get(0).t();
        double width = (points.get(points.size() - 1).t() - first) / buckets;
        List<TheilSen.Point> out = new ArrayList<>(buckets);
        int start = 0;
        for (int b = 0; b < buckets && start < points.size(); b++) {
            double end = first + width * (b + 1);
            int stop = start;
            while (stop < points.size() && (points.get(stop).t() < end || b == buckets - 1)) {
                stop++;
            }
            if (stop > start) {
                out.add(median(points.subList(start, stop)));
            }
            start = stop;
        }
        return out;
    }

    private static TheilSen.Point median(List<TheilSen.Point> bucket) {
        double[] ts = bucket.stream().mapToDouble(TheilSen.Point::t).toArray();
        double[] values = bucket.stream().mapToDouble(TheilSen.Point::value).toArray();
        Arrays.sort(values);
        return new TheilSen.Point(TheilSen.quantile(ts, 0.5), TheilSen.quantile(values, 0.5));
    }
}
