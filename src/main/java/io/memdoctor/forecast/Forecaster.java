package io.memdoctor.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the fitted trends of the two windows into one forecast. Pure: no store, no clock. */
final class Forecaster {

    /** Beyond this, "full in 14 years" is a silly date: the instance is not growing. */
    static final Duration HORIZON = Duration.ofDays(365);
    static final int MIN_POINTS = 5;
    /**
     * How far ahead a trend may date the ceiling, in multiples of the time it was seen over: a trend seen for an hour
     * dates it at most a day ahead. Five samples a second after a FLUSHALL rise in a perfect line by a few KB (client
     * buffers, the INFO reply itself); stretched to the ceiling they said "full in 2 h" and paged the team.
     */
    static final int MAX_REACH = 24;

    private Forecaster() {
    }

    /**
     * @param instanceId the instance
     * @param series points per window name ({@code 1h} first), time in seconds relative to {@code now}
     * @param ceilingBytes the ceiling ({@code snapshots.MemoryCeiling}); {@code null} when none is known
     * @param ceiling {@code maxmemory}, {@code memory-limit} or {@code system}
     * @param lastUsed the newest used_memory sample
     */
    static Forecast forecast(String instanceId, Map<String, List<TheilSen.Point>> series, Long ceilingBytes,
            String ceiling, Long lastUsed, Instant now) {
        if (ceilingBytes == null || ceilingBytes <= 0 || lastUsed == null) {
            return Forecast.noData(instanceId, now);
        }
        Map<String, TheilSen> fits = new LinkedHashMap<>();
        series.forEach((window, all) -> {
            List<TheilSen.Point> points = afterLastDrop(all, ceilingBytes);
            if (points.size() >= MIN_POINTS) {
                TheilSen.fit(points).ifPresent(fit -> fits.put(window, fit));
            }
        });
        if (fits.isEmpty()) {
            return Forecast.noData(instanceId, now);
        }
        List<Forecast.WindowFit> windows = new ArrayList<>();
        fits.forEach((window, fit) -> windows.add(windowFit(window, fit, ceilingBytes, now)));
        Forecast.WindowFit chosen = chosen(windows, fits, ceilingBytes);
        TheilSen chosenFit = fits.get(chosen.window());
        boolean disagree = disagree(windows);
        long usedNow = Math.round(chosenFit.at(0));
        if (lastUsed >= ceilingBytes || usedNow >= ceilingBytes) {
            return new Forecast(instanceId, Forecast.FULL, null, 0L, ceilingBytes, ceiling, Math.max(usedNow, lastUsed),
                    chosen.ratePerHour(), chosen.window(), "high", disagree, windows, now);
        }
        String confidence = confidence(chosenFit, disagree);
        String status = chosen.fullAt() != null ? Forecast.GROWING
                : secondsToFull(chosenFit, ceilingBytes).isPresent() ? Forecast.TOO_EARLY : Forecast.NOT_GROWING;
        return new Forecast(instanceId, status, chosen.fullAt(), chosen.secondsToFull(), ceilingBytes, ceiling, usedNow,
                chosen.ratePerHour(), chosen.window(), confidence, disagree, windows, now);
    }

    /**
     * The recent (first) window, unless it grows but was seen too briefly to date the ceiling and a longer window
     * dates it: six hours of trend see further ahead than one.
     */
    private static Forecast.WindowFit chosen(List<Forecast.WindowFit> windows, Map<String, TheilSen> fits,
            long ceilingBytes) {
        Forecast.WindowFit first = windows.get(0);
        if (first.fullAt() != null || secondsToFull(fits.get(first.window()), ceilingBytes).isEmpty()) {
            return first;
        }
        return windows.stream().filter(w -> w.fullAt() != null).findFirst().orElse(first);
    }

    /**
     * The points after the last fall of more than a fifth of the ceiling between two points (a FLUSHALL, a restart,
     * a failover to an empty replica): the trend before it says nothing about the instance after it.
     */
    static List<TheilSen.Point> afterLastDrop(List<TheilSen.Point> points, long ceilingBytes) {
        for (int i = points.size() - 1; i > 0; i--) {
            if (points.get(i - 1).value() - points.get(i).value() > ceilingBytes * 0.2) {
                return points.subList(i, points.size());
            }
        }
        return points;
    }

    private static Forecast.WindowFit windowFit(String window, TheilSen fit, long ceilingBytes, Instant now) {
        double perHour = fit.slope() * 3600;
        Optional<Long> seconds = secondsToFull(fit, ceilingBytes).filter(s -> s <= MAX_REACH * fit.span());
        return new Forecast.WindowFit(window, fit.points(), perHour,
                seconds.map(now::plusSeconds).orElse(null), seconds.orElse(null), Math.round(fit.span()));
    }

    private static Optional<Long> secondsToFull(TheilSen fit, long ceilingBytes) {
        double usedNow = fit.at(0);
        if (usedNow >= ceilingBytes) {
            return Optional.of(0L);
        }
        if (!fit.risesAboveNoise()) {
            return Optional.empty();
        }
        double seconds = (ceilingBytes - usedNow) / fit.slope();
        return seconds > HORIZON.toSeconds() ? Optional.empty() : Optional.of(Math.round(seconds));
    }

    /** The windows disagree when one grows and the other does not, or their times to full differ by half. */
    static boolean disagree(List<Forecast.WindowFit> windows) {
        if (windows.size() < 2) {
            return false;
        }
        Long a = windows.get(0).secondsToFull();
        Long b = windows.get(1).secondsToFull();
        if (a == null || b == null) {
            return a != b;
        }
        double low = Math.min(a, b);
        double high = Math.max(a, b);
        return high > 0 && (high - low) / high > 0.5;
    }

    private static String confidence(TheilSen fit, boolean disagree) {
        if (fit.points() >= 20 && fit.slopeSpread() < 0.5 && !disagree) {
            return "high";
        }
        if (fit.points() >= 10 && fit.slopeSpread() < 1.5) {
            return "medium";
        }
        return "low";
    }
}
