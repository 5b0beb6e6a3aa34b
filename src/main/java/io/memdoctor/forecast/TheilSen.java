package io.memdoctor.forecast;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Theil-Sen line: the median of the slopes between every pair of points, and the median intercept. One spike
 * or one saw-tooth drop moves a least-squares line; it moves the median of the pairwise slopes hardly at all (up to
 * 29 % of the points may be outliers).
 *
 * @param slope units per second
 * @param intercept value at time 0
 * @param slopeSpread interquartile range of the pairwise slopes divided by the median's magnitude: small when the
 *     points lie on one line, large when the slope is a guess
 * @param points how many points the line is fitted on
 * @param span time between the first and the last point, in seconds
 * @param residualSigma the scatter of the points around the line (1.4826 times the median absolute residual, which
 *     is the standard deviation for normal noise and ignores spikes)
 */
record TheilSen(double slope, double intercept, double slopeSpread, int points, double span, double residualSigma) {

    /** A time and a value; time in seconds from any origin shared by the points. */
    record Point(double t, double value) {
    }

    /** The line through the points; empty with fewer than 3 points or no time span. */
    static Optional<TheilSen> fit(List<Point> points) {
        int n = points.size();
        if (n < 3) {
            return Optional.empty();
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int count = 0;
        for (int i = 0; i < n; i++) {
            Point a = points.get(i);
            for (int j = i + 1; j < n; j++) {
                Point b = points.get(j);
                double dt = b.t() - a.t();
                if (dt != 0) {
                    slopes[count++] = (b.value() - a.value()) / dt;
                }
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        double[] sorted = Arrays.copyOf(slopes, count);
        Arrays.sort(sorted);
        double slope = quantile(sorted, 0.5);
        double iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
        double[] intercepts = new double[n];
        for (int i = 0; i < n; i++) {
            intercepts[i] = points.get(i).value() - slope * points.get(i).t();
        }
        Arrays.sort(intercepts);
        double intercept = quantile(intercepts, 0.5);
        double[] residuals = new double[n];
        for (int i = 0; i < n; i++) {
            residuals[i] = Math.abs(points.get(i).value() - intercept - slope * points.get(i).t());
        }
        Arrays.sort(residuals);
        double spread = slope == 0 ? Double.POSITIVE_INFINITY : iqr / Math.abs(slope);
        double span = points.get(n - 1).t() - points.get(0).t();
        return Optional.of(new TheilSen(slope, intercept, spread, n, span, 1.4826 * quantile(residuals, 0.5)));
    }

    /**
     * Whether the line rises by more than twice the points' scatter over its span: a flat series with noise has a
     * small slope of either sign, and that slope would give a date decades away, or next week.
     */
    boolean risesAboveNoise() {
        return slope > 0 && slope * span > 2 * residualSigma;
    }

    /** The line's value at time {@code t}. */
    double at(double t) {
        return intercept + slope * t;
    }

    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = (int) Math.ceil(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
