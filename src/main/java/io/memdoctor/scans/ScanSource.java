package io.memdoctor.scans;

import java.util.Locale;

/** Which node a scan reads: the primary, or a replica of it (so the primary is spared). */
public enum ScanSource {
    PRIMARY,
    REPLICA;

    /** As the API and the form spell it: {@code primary} or {@code replica}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code primary} or {@code replica} (any case); {@code null} or blank is {@code null} (the default).
     *
     * @throws IllegalArgumentException for anything else (a 400)
     */
    public static ScanSource parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "primary" -> PRIMARY;
            case "replica" -> REPLICA;
            default -> throw new IllegalArgumentException("from must be \"primary\" or \"replica\"");
        };
    }
}
