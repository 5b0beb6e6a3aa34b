package io.memdoctor.alerts;

import java.time.Duration;

/** Durations as people read them: {@code 3 h 20 min}. */
final class Durations {

    private Durations() {
    }

    static String text(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        if (days > 0) {
            return days + " d" + (hours > 0 ? " " + hours + " h" : "");
        }
        if (hours > 0) {
            return hours + " h" + (minutes > 0 ? " " + minutes + " min" : "");
        }
        return minutes > 0 ? minutes + " min" : seconds + " s";
    }
}
