package io.memdoctor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.memdoctor.support.BothStores;
import io.memdoctor.support.MovingClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Silences on H2 and PostgreSQL with the real migrations: stored, read back by a restarted dashboard, expired. */
@BothStores
class SilencesTests {

    /** Not a whole millisecond, in a zone far from UTC: the store keeps epoch milliseconds. */
    private static final Instant NOW = Instant.parse("2026-03-29T01:59:59.123456789Z");
    private static final ZoneId ZONE = ZoneId.of("Pacific/Chatham");

    @Parameter
    BothStores.Store store;

    @BeforeEach
    void clear() {
        store.clear("alert_silence");
    }

    private Silences at(Instant now) {
        return new Silences(store.jdbc(), Clock.fixed(now, ZONE));
    }

    @Test
    void aSilenceIsReadBackAfterARestartAndCoversItsTargetUntilItEnds() {
        Silences silences = at(NOW);
        String reason = "deploy 'v2' \"blue\";\nDROP TABLE alert; -- ünïcødé ✓ 🔇 \\x00\\xff";
        Silence made = silences.create("cache-é", null, Duration.ofMinutes(90), "  " + reason + "\n  ", "ops\"lead'");
        assertThat(made.reason()).isEqualTo(reason);

        Silences restarted = at(NOW.plusSeconds(60));
        assertThat(restarted.current()).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(made.id());
            assertThat(s.instanceId()).isEqualTo("cache-é");
            assertThat(s.alertId()).isNull();
            assertThat(s.reason()).isEqualTo(reason);
            assertThat(s.createdBy()).isEqualTo("ops\"lead'");
            assertThat(s.startsAt()).as("epoch milliseconds").isEqualTo(Instant.parse("2026-03-29T01:59:59.123Z"));
            assertThat(s.endsAt()).isEqualTo(Instant.parse("2026-03-29T03:29:59.123Z"));
        });
        assertThat(restarted.silenced(alert(1, "cache-é"))).isTrue();
        assertThat(restarted.silenced(alert(1, "cache-e"))).as("another instance").isFalse();

        Silences atTheEnd = at(Instant.parse("2026-03-29T03:29:59.123Z"));
        assertThat(atTheEnd.current()).as("ended at its end, to the millisecond").isEmpty();
        assertThat(atTheEnd.silenced(alert(1, "cache-é"))).isFalse();
        assertThat(at(Instant.parse("2026-03-29T03:29:59.122Z")).current()).hasSize(1);
    }

    @Test
    void currentSilencesComeSoonestEndFirstAndOneAlertsSilenceCoversOnlyIt() {
        Silences silences = at(NOW);
        Silence day = silences.create("a", null, Duration.ofDays(1), "long", "ops");
        Silence alertOnly = silences.create(null, 42L, Duration.ofMinutes(5), "one alert", "ops");
        Silence longest = silences.create("b", null, Silences.LONGEST, "thirty days", "ops");

        Silences restarted = at(NOW.plusSeconds(1));
        assertThat(restarted.current()).extracting(Silence::id)
                .containsExactly(alertOnly.id(), day.id(), longest.id());
        assertThat(restarted.current().get(0).alertId()).isEqualTo(42L);
        assertThat(restarted.current().get(0).instanceId()).isNull();
        assertThat(restarted.silenced(alert(42, "c"))).isTrue();
        assertThat(restarted.silenced(alert(43, "c"))).isFalse();
        assertThat(at(NOW.plus(Silences.LONGEST).minusMillis(1)).current()).extracting(Silence::id)
                .containsExactly(longest.id());
    }

    @Test
    void expiringEndsASilenceNowOnceAndForAll() {
        Silences silences = at(NOW);
        Silence made = silences.create("a", null, Duration.ofHours(2), "maintenance", "ops");
        Silences later = at(NOW.plusSeconds(600));
        assertThat(later.expire(made.id())).isTrue();
        assertThat(later.current()).isEmpty();
        assertThat(later.expire(made.id())).as("ended already").isFalse();
        assertThat(later.expire(made.id() + 1000)).as("no such silence").isFalse();
        assertThat(at(NOW.plusSeconds(601)).current()).as("read back").isEmpty();
        assertThat(store.jdbc().queryForObject("SELECT ends_at FROM alert_silence WHERE id = ?", Long.class,
                made.id())).isEqualTo(NOW.plusSeconds(600).toEpochMilli());
    }

    /** Replicas expiring one silence at the same moment: the conditional UPDATE ends it once, the others hear 404. */
    @Test
    void ofReplicasExpiringTheSameSilenceAtOnceOneEndsIt() throws Exception {
        Silence made = at(NOW).create("a", null, Duration.ofHours(2), "maintenance", "ops");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Silences> replicas = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                replicas.add(at(NOW.plusSeconds(60)));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> expired = new ArrayList<>();
            for (Silences replica : replicas) {
                expired.add(pool.submit(() -> {
                    start.await();
                    return replica.expire(made.id());
                }));
            }
            start.countDown();
            int ended = 0;
            for (Future<Boolean> one : expired) {
                ended += one.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(ended).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(at(NOW.plusSeconds(60)).current()).isEmpty();
    }

    @Test
    void aReasonOfFiveHundredCharactersIsKeptWholeAndALongerOneRefused() {
        String reason = "é".repeat(499) + "✓";
        Silence made = at(NOW).create("a", null, Duration.ofMinutes(1), reason, "ops");
        assertThat(at(NOW).current()).singleElement().extracting(Silence::reason).isEqualTo(reason);
        assertThat(made.reason()).hasSize(500);
        assertThatThrownBy(() -> at(NOW).create("a", null, Duration.ofMinutes(1), reason + "x", "ops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("500");
        assertThat(at(NOW).current()).hasSize(1);
    }

    /**
     * A NUL character is text Java and H2 keep but PostgreSQL refuses ("invalid byte sequence for encoding UTF8:
     * 0x00"): the same reason was stored on H2 and a 500 on PostgreSQL. Both refuse it as bad input now.
     */
    @Test
    void aReasonWithANulCharacterIsRefusedOnBothStores() {
        assertThatThrownBy(() -> at(NOW).create("a", null, Duration.ofMinutes(5), "copied\u0000from a terminal",
                "ops")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'reason'");
        assertThat(at(NOW).current()).isEmpty();
        Silence tabs = at(NOW).create("a", null, Duration.ofMinutes(5), "tabs\tand\r\nlines", "ops");
        assertThat(at(NOW).current()).singleElement().extracting(Silence::reason).isEqualTo(tabs.reason());
    }

    /**
     * With replicas, the one that samples the instance learns of a silence made through another within a second,
     * before it would notify; a single dashboard's copy, whole by construction, is not read again.
     */
    @Test
    void aSilenceMadeThroughAnotherReplicaIsSeenWithinASecond() {
        MovingClock moving = new MovingClock(NOW, ZONE);
        Silences sampling = new Silences(store.jdbc(), moving, Silences.REPLICA_MAX_AGE);
        Silences single = new Silences(store.jdbc(), moving);
        Alert firing = alert(7, "cache");
        assertThat(sampling.silenced(firing)).isFalse();

        at(NOW).create("cache", null, Duration.ofMinutes(30), "failover drill", "ana");
        moving.set(NOW.plusMillis(1001));
        assertThat(sampling.silenced(firing)).isTrue();
        assertThat(sampling.current()).singleElement().satisfies(s -> assertThat(s.reason()).isEqualTo("failover drill"));
        assertThat(single.silenced(firing)).as("one dashboard makes every silence itself").isFalse();
    }

    private static Alert alert(long id, String instance) {
        return new Alert(id, "memory-high", instance, AlertState.FIRING, Severity.WARNING, NOW, NOW, null, "s",
                Map.of(), null, null, false);
    }
}
