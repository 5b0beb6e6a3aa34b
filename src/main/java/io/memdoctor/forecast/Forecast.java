package io.memdoctor.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.memdoctor.format.Units;
import io.memdoctor.snapshots.MemoryCeiling;

/**
 * When used_memory reaches its ceiling, from the recent trend; the JSON of {@code GET /api/instances/{id}/forecast}.
 *
 * @param instanceId the instance
 * @param status {@code GROWING} (a date), {@code TOO_EARLY} (growing, but seen for too short a time to date the
 *     ceiling: see {@link Forecaster#MAX_REACH}), {@code NOT_GROWING}, {@code FULL} (at the ceiling now) or
 *     {@code NO_DATA}
 * @param fullAt when the trend reaches the ceiling, {@code null} unless growing
 * @param secondsToFull seconds from {@code computedAt} to {@code fullAt}, {@code null} unless growing
 * @param ceilingBytes the smaller of maxmemory and the declared memory limit, or host memory without either (see
 *     {@link MemoryCeiling})
 * @param ceiling {@code maxmemory}, {@code memory-limit} (declared) or {@code system}
 * @param usedBytes the trend's value now (not the last raw sample: a spike would move it)
 * @param ratePerHour growth in bytes per hour of the window chosen
 * @param window the window chosen: {@code 1h} (the recent trend) unless it has too few points, then {@code 6h}
 * @param confidence {@code high}, {@code medium} or {@code low}: points, how well they lie on one line, and whether
 *     the two windows agree
 * @param disagree whether the 1 h and 6 h trends differ enough to show both
 * @param windows the fit of each window
 * @param computedAt when the forecast was made
 */
public record Forecast(String instanceId, String status, Instant fullAt, Long secondsToFull, Long ceilingBytes,
        String ceiling, Long usedBytes, Double ratePerHour, String window, String confidence, boolean disagree,
        List<WindowFit> windows, Instant computedAt) {

    public static final String GROWING = "GROWING";
    public static final String NOT_GROWING = "NOT_GROWING";
    public static final String TOO_EARLY = "TOO_EARLY";
    public static final String FULL = "FULL";
    public static final String NO_DATA = "NO_DATA";

    /**
     * The trend over one window.
     *
     * @param window {@code 1h} or {@code 6h}
     * @param points points fitted (bucket medians)
     * @param ratePerHour growth in bytes per hour
     * @param fullAt when this trend reaches the ceiling, {@code null} when it does not grow
     * @param secondsToFull seconds until then
     * @param seenSeconds the time between the first and the last point fitted
     */
    public record WindowFit(String window, int points, double ratePerHour, Instant fullAt, Long secondsToFull,
            long seenSeconds) {
    }

    static Forecast noData(String instanceId, Instant now) {
        return new Forecast(instanceId, NO_DATA, null, null, null, null, null, null, null, "low", false, List.of(),
                now);
    }

    public boolean growing() {
        return GROWING.equals(status);
    }

    /** "full in 3 h 20 min" for the cards, when under a day; else {@code null}. */
    public String shortText() {
        if (FULL.equals(status)) {
            return "at its " + MemoryCeiling.Kind.ofCode(ceiling).shortLabel() + " ceiling";
        }
        if (!growing() || secondsToFull == null || secondsToFull >= Duration.ofDays(1).toSeconds()) {
            return null;
        }
        return "full in " + Units.span(secondsToFull);
    }

    /** The ceiling as texts name it: "maxmemory", "memory limit (declared)", "host memory (total_system_memory)". */
    public String ceilingLabel() {
        return MemoryCeiling.Kind.ofCode(ceiling).label();
    }

    /** How long the chosen window's trend was seen over, in seconds; 0 without one. */
    public long seenSeconds() {
        return windows.stream().filter(w -> w.window().equals(window)).mapToLong(WindowFit::seenSeconds).findFirst()
                .orElse(0);
    }

    /** A longer sentence for the instance page. */
    public String text() {
        return switch (status) {
            case NO_DATA -> "Not enough samples for a forecast yet.";
            case FULL -> "Used memory is at its " + ceilingLabel() + " ceiling now.";
            case NOT_GROWING -> "Not growing.";
            case TOO_EARLY -> "Growing at " + Math.round(ratePerHour / 1024 / 1024 * 10) / 10.0 + " MB/h, seen for only "
                    + Units.span(seenSeconds()) + ": too early to date the ceiling.";
            default -> "Full in " + Units.span(secondsToFull) + " at " + Math.round(ratePerHour / 1024 / 1024 * 10) / 10.0
                    + " MB/h (" + window + " trend, " + confidence + " confidence)";
        };
    }
}
