package io.memdoctor.snapshots;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ranges the instance page offers. The one list: the page renders its links from it, each link carries its
 * length for {@code charts.js}, and the diagnosis panel reads the same.
 */
public enum ChartRange {

    HOUR("1h", Duration.ofHours(1)),
    SIX_HOURS("6h", Duration.ofHours(6)),
    DAY("24h", Duration.ofHours(24)),
    WEEK("7d", Duration.ofDays(7)),
    MONTH("30d", Duration.ofDays(30));

    private final String label;
    private final Duration length;

    ChartRange(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    /** "1h", as in {@code ?range=1h}. */
    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    /** The length in milliseconds, for the page's {@code data-millis}. */
    public long millis() {
        return length.toMillis();
    }

    /** The range of a label; 400 for another one. */
    public static ChartRange of(String label) {
        return Arrays.stream(values()).filter(range -> range.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("range must be one of " + labels()));
    }

    private static String labels() {
        return Arrays.stream(values()).map(ChartRange::label).collect(Collectors.joining(", "));
    }

    /** Every range, shortest first. */
    public static List<ChartRange> all() {
        return List.of(values());
    }
}
