package io.memdoctor.forecast;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.memdoctor.format.Units;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForecasterTests {

    static final long MB = 1024L * 1024;
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** {@code minutes} of one point a minute, ending now: {@code start + perMinute * i}, shaped by {@code noise}. */
    static List<TheilSen.Point> series(int minutes, double start, double perMinute, Noise noise) {
        List<TheilSen.Point> points = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            double t = (i - minutes + 1) * 60.0;
            points.add(new TheilSen.Point(t, noise.apply(i, start + perMinute * i)));
        }
        return points;
    }

    interface Noise {
        double apply(int i, double value);
    }

    static Map<String, List<TheilSen.Point>> windows(List<TheilSen.Point> hour, List<TheilSen.Point> six) {
        Map<String, List<TheilSen.Point>> out = new LinkedHashMap<>();
        out.put("1h", hour);
        out.put("6h", six);
        return out;
    }

    @Test
    void sawToothAndSpikesDoNotMoveTheDate() {
        Random random = new Random(7);
        // 1 MB a minute with a 15 MB saw-tooth (a cache filled then trimmed every 10 minutes), noise and 5 spikes
        Noise noise = (i, v) -> v + (i % 10) * 1.5 * MB - 7.5 * MB + random.nextGaussian() * MB
                + (i % 13 == 5 ? 60 * MB : 0);
        List<TheilSen.Point> six = series(360, 100 * MB, MB, noise);
        List<TheilSen.Point> hour = six.subList(300, 360);
        double usedNow = 100 * MB + 359 * MB;
        Forecast forecast = Forecaster.forecast("a", windows(hour, six), 1024 * MB, "maxmemory",
                (long) usedNow, NOW);
        double truth = (1024 * MB - usedNow) / (MB / 60.0);
        assertThat(forecast.status()).isEqualTo(Forecast.GROWING);
        assertThat(forecast.window()).isEqualTo("1h");
        assertThat((double) forecast.secondsToFull()).isCloseTo(truth, within(truth * 0.1));
        assertThat(forecast.ratePerHour()).isCloseTo(60.0 * MB, within(6.0 * MB));
        assertThat(forecast.fullAt()).isEqualTo(NOW.plusSeconds(forecast.secondsToFull()));
        assertThat(forecast.disagree()).isFalse();
        assertThat(forecast.windows()).extracting(Forecast.WindowFit::window).containsExactly("1h", "6h");
        assertThat(forecast.ceiling()).isEqualTo("maxmemory");
    }

    @Test
    void aFlatOrShrinkingInstanceIsNotGrowingRatherThanADate() {
        Random random = new Random(3);
        List<TheilSen.Point> flat = series(60, 500 * MB, 0, (i, v) -> v + random.nextGaussian() * MB);
        Forecast still = Forecaster.forecast("a", windows(flat, flat), 1024 * MB, "maxmemory", 500 * MB, NOW);
        // a slope of a few bytes an hour gives a date in centuries: not growing either way
        assertThat(still.status()).isEqualTo(Forecast.NOT_GROWING);
        assertThat(still.fullAt()).isNull();
        assertThat(still.shortText()).isNull();
        assertThat(still.text()).isEqualTo("Not growing.");

        List<TheilSen.Point> falling = series(60, 800 * MB, -MB, (i, v) -> v);
        Forecast down = Forecaster.forecast("a", windows(falling, falling), 1024 * MB, "maxmemory", 740 * MB, NOW);
        assertThat(down.status()).isEqualTo(Forecast.NOT_GROWING);
        assertThat(down.ratePerHour()).isCloseTo(-60.0 * MB, within(1.0 * MB));
    }

    @Test
    void atTheCeilingIsFull() {
        List<TheilSen.Point> climbing = series(60, 900 * MB, 2 * MB, (i, v) -> Math.min(v, 1000 * MB));
        Forecast full = Forecaster.forecast("a", windows(climbing, climbing), 1000 * MB, "maxmemory", 1000 * MB, NOW);
        assertThat(full.status()).isEqualTo(Forecast.FULL);
        assertThat(full.secondsToFull()).isZero();
        assertThat(full.shortText()).isEqualTo("at its maxmemory ceiling");
    }

    @Test
    void windowsThatDisagreeAreBothShown() {
        // growing for 5 hours, flat for the last hour: the recent trend says not growing, the 6 h one gives a date
        List<TheilSen.Point> six = series(360, 100 * MB, MB, (i, v) -> i >= 300 ? 100 * MB + 300 * MB : v);
        List<TheilSen.Point> hour = six.subList(300, 360);
        Forecast forecast = Forecaster.forecast("a", windows(hour, six), 1024 * MB, "system", 400 * MB, NOW);
        assertThat(forecast.disagree()).isTrue();
        assertThat(forecast.status()).isEqualTo(Forecast.NOT_GROWING);
        assertThat(forecast.windows().get(0).fullAt()).isNull();
        assertThat(forecast.windows().get(1).fullAt()).isNotNull();
        assertThat(forecast.ceiling()).isEqualTo("system");
    }

    @Test
    void tooFewPointsOrNoCeilingIsNoData() {
        List<TheilSen.Point> three = series(3, 100 * MB, MB, (i, v) -> v);
        assertThat(Forecaster.forecast("a", windows(three, three), 1024 * MB, "maxmemory", 100 * MB, NOW).status())
                .isEqualTo(Forecast.NO_DATA);
        List<TheilSen.Point> many = series(60, 100 * MB, MB, (i, v) -> v);
        assertThat(Forecaster.forecast("a", windows(many, many), null, "system", 100 * MB, NOW).status())
                .isEqualTo(Forecast.NO_DATA);
    }

    @Test
    void shortTextUnderADayOnly() {
        List<TheilSen.Point> fast = series(60, 0, MB, (i, v) -> v);
        // 59 MB now, 200 MB ceiling at 1 MB a minute: 141 minutes
        Forecast soon = Forecaster.forecast("a", windows(fast, fast), 200 * MB, "maxmemory", 59 * MB, NOW);
        assertThat(soon.shortText()).isEqualTo("full in 2 h 21 min");
        // six hours at 1 MB a minute, 3,240 MB ceiling: 48 h away, within the 6 days six hours of trend may date
        List<TheilSen.Point> six = series(360, 0, MB, (i, v) -> v);
        Forecast later = Forecaster.forecast("a", windows(six.subList(300, 360), six), 3240 * MB, "maxmemory",
                359 * MB, NOW);
        assertThat(later.status()).isEqualTo(Forecast.GROWING);
        assertThat(later.secondsToFull()).isCloseTo(48 * 3600L, within(600L));
        assertThat(later.shortText()).isNull();
        assertThat(Units.span(45)).isEqualTo("45 s");
        assertThat(Units.span(2 * 86_400 + 4 * 3600 + 5)).isEqualTo("2 d 4 h");
    }

    @Test
    void bucketMediansDropSpikes() {
        List<TheilSen.Point> raw = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            raw.add(new TheilSen.Point(i, i % 10 == 3 ? 1e12 : i));
        }
        List<TheilSen.Point> medians = UsedMemorySeries.medians(raw, 120);
        assertThat(medians).hasSize(120);
        assertThat(medians).allSatisfy(p -> assertThat(p.value()).isLessThan(1200));
        assertThat(TheilSen.fit(medians).orElseThrow().slope()).isCloseTo(1.0, within(0.01));
    }

    @Test
    void aFlushStartsTheTrendAgain() {
        // growing to 900 MB, then FLUSHALL two minutes ago: the old climb must not give a date
        List<TheilSen.Point> points = series(60, 300 * MB, 10 * MB, (i, v) -> i >= 58 ? MB : v);
        Forecast forecast = Forecaster.forecast("a", windows(points, points), 1000 * MB, "maxmemory", MB, NOW);
        assertThat(forecast.status()).isEqualTo(Forecast.NO_DATA);
        assertThat(Forecaster.afterLastDrop(points, 1000 * MB)).hasSize(2);
    }

    @Test
    void aTrendSeenBrieflyDoesNotDateACeilingFarAhead() {
        // five samples 300 ms apart after a FLUSHALL, rising 1 KB each in a perfect line (client buffers): stretched
        // to a 24 MB ceiling that is "full in 2 h", which paged the team; 1.2 s of trend may date 29 s at most
        List<TheilSen.Point> after = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            after.add(new TheilSen.Point((i - 4) * 0.3, MB + i * 1024.0));
        }
        Forecast early = Forecaster.forecast("a", windows(after, after), 24 * MB, "maxmemory", MB + 4096, NOW);
        assertThat(early.status()).isEqualTo(Forecast.TOO_EARLY);
        assertThat(early.secondsToFull()).isNull();
        assertThat(early.fullAt()).isNull();
        assertThat(early.shortText()).isNull();
        assertThat(early.text()).isEqualTo("Growing at 11.7 MB/h, seen for only 1 s: too early to date the ceiling.");

        // the same line seen for an hour (a point a minute) dates a ceiling up to a day ahead
        List<TheilSen.Point> hour = series(60, 20 * MB, MB / 60.0, (i, v) -> v);
        Forecast dated = Forecaster.forecast("a", windows(hour, hour), 30 * MB, "maxmemory", 21 * MB, NOW);
        assertThat(dated.status()).isEqualTo(Forecast.GROWING);
        assertThat(dated.windows().get(0).seenSeconds()).isEqualTo(3540);

        // a filling instance seen for 12 s, full in 30 s, is dated: the alert fires before the cliff
        List<TheilSen.Point> filling = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            filling.add(new TheilSen.Point((i - 39) * 0.3, 10 * MB + i * 0.1 * MB));
        }
        Forecast soon = Forecaster.forecast("a", windows(filling, filling), 24 * MB, "maxmemory",
                (long) (10 * MB + 39 * 0.1 * MB), NOW);
        assertThat(soon.status()).isEqualTo(Forecast.GROWING);
        assertThat(soon.secondsToFull()).isBetween(25L, 35L);
    }
}
