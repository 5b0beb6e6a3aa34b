package io.memdoctor.snapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * A least-squares line through one numeric metric over time: how fast it grows and how steadily.
 *
 * <p>Time is measured in seconds from the first point, not in epoch milliseconds, so the regression's sums stay
 * well inside double precision.
 *
 * @param points OK samples that carried the metric
 * @param from time of the first of them
 * @param to time of the last of them
 * @param perSecond fitted growth per second (negative when falling)
 * @param rSquared how much of the movement the line explains, 0..1 (0 when the metric never moved)
 * @param fittedStart the line's value at {@code from}
 * @param fittedEnd the line's value at {@code to}
 * @param last the last value seen
 * @param first the first value seen
 * @param top the highest value seen
 */
public record GrowthTrend(int points, Instant from, Instant to, double perSecond, double rSquared,
        double fittedStart, double fittedEnd, double last, double first, double top) {

    /** The line through the OK samples that carry {@code metric}; empty with fewer than two of them. */
    public static Optional<GrowthTrend> fit(List<Snapshot> snapshots, Metric metric) {
        return fit(snapshots, snapshot -> snapshot.getDouble(metric));
    }

    /** The line through the OK samples for which {@code value} gives a number (a figure derived from several). */
    public static Optional<GrowthTrend> fit(List<Snapshot> snapshots, java.util.function.Function<Snapshot, Double> value) {
        SimpleRegression regression = new SimpleRegression();
        Instant first = null;
        Instant latest = null;
        double last = 0;
        double firstValue = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (Snapshot snapshot : snapshots) {
            Double y = snapshot.isOk() ? value.apply(snapshot) : null;
            if (y == null) {
                continue;
            }
            if (first == null) {
                first = snapshot.timestamp();
                firstValue = y;
            }
            top = Math.max(top, y);
            latest = snapshot.timestamp();
            last = y;
            regression.addData(seconds(first, latest), y);
        }
        if (regression.getN() < 2 || !latest.isAfter(first)) {
            return Optional.empty();
        }
        double slope = regression.getSlope();
        double r2 = regression.getRSquare();
        double span = seconds(first, latest);
        return Optional.of(new GrowthTrend((int) regression.getN(), first, latest, slope,
                Double.isNaN(r2) ? 0 : r2, regression.predict(0), regression.predict(span), last, firstValue, top));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** Time between the first and the last point. */
    public Duration span() {
        return Duration.between(from, to);
    }

    /** The growth the line gives over its span. */
    public double fittedGrowth() {
        return fittedEnd - fittedStart;
    }

    /**
     * When the metric reaches {@code limit} at this rate, counted from the last value; empty when it is not
     * growing or already there.
     */
    public Optional<Instant> reaches(double limit) {
        if (perSecond <= 0 || last >= limit) {
            return Optional.empty();
        }
        double seconds = (limit - last) / perSecond;
        if (seconds > Duration.ofDays(3650).toSeconds()) {
            return Optional.empty();
        }
        return Optional.of(to.plusMillis((long) (seconds * 1000)));
    }
}
