package io.memdoctor.diagnosis;

import java.time.Instant;
import java.util.Locale;

import io.memdoctor.format.Units;

/** How the narrators write numbers: one place, so every finding reads the same. */
final class Text {

    private Text() {
    }

    static String bytes(long value) {
        return Units.bytes(value);
    }

    /** A change with its sign: {@code +16.0 MB}, {@code -2.1 GB}. */
    static String signed(long value) {
        return (value < 0 ? "-" : "+") + Units.bytes(Math.abs(value));
    }

    static String count(long value) {
        return Units.count(value);
    }

    static String ratio(Double value) {
        return Units.ratio(value);
    }

    static String pct(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String utc(Instant at) {
        return Units.utc(at);
    }

    static String r2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
