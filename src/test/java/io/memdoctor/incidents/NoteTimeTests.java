package io.memdoctor.incidents;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoteTimeTests {

    static final Instant CAPTURED = Instant.parse("2026-11-24T14:15:00Z");
    static final Instant NOW = Instant.parse("2026-11-24T14:30:00Z");

    @Test
    void blankIsNowAndAClockTimeIsOnTheCaptureDayInTheWritersZone() {
        assertThat(NoteTime.parse(" ", null, CAPTURED, NOW)).isEqualTo(NOW);
        assertThat(NoteTime.parse("14:02", null, CAPTURED, NOW)).isEqualTo(Instant.parse("2026-11-24T14:02:00Z"));
        assertThat(NoteTime.parse("9:05:30", "UTC", CAPTURED, NOW)).isEqualTo(Instant.parse("2026-11-24T09:05:30Z"));
        assertThat(NoteTime.parse("15:02", "Europe/Paris", CAPTURED, NOW))
                .isEqualTo(Instant.parse("2026-11-24T14:02:00Z"));
        assertThat(NoteTime.parse("16:02", "+02:00", CAPTURED, NOW)).isEqualTo(Instant.parse("2026-11-24T14:02:00Z"));
    }

    @Test
    void aTimeFarAfterTheCaptureIsTheDayBefore() {
        Instant justAfterMidnight = Instant.parse("2026-11-25T00:10:00Z");
        assertThat(NoteTime.parse("23:50", null, justAfterMidnight, NOW))
                .isEqualTo(Instant.parse("2026-11-24T23:50:00Z"));
    }

    @Test
    void isoDateTimesWithAndWithoutOffset() {
        assertThat(NoteTime.parse("2026-11-24T14:02:00Z", null, CAPTURED, NOW))
                .isEqualTo(Instant.parse("2026-11-24T14:02:00Z"));
        assertThat(NoteTime.parse("2026-11-24T16:02:00+02:00", null, CAPTURED, NOW))
                .isEqualTo(Instant.parse("2026-11-24T14:02:00Z"));
        assertThat(NoteTime.parse("2026-11-24T15:02", "Europe/Paris", CAPTURED, NOW))
                .isEqualTo(Instant.parse("2026-11-24T14:02:00Z"));
    }

    @Test
    void nonsenseIsRefusedWithAnExample() {
        assertThatThrownBy(() -> NoteTime.parse("soon", null, CAPTURED, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("14:02");
        assertThatThrownBy(() -> NoteTime.parse("25:99", null, CAPTURED, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoteTime.parse("14:02", "Nowhere/Land", CAPTURED, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone");
    }
}
