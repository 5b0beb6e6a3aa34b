package io.memdoctor.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's window slides: failures older than it stop counting, and its memory stays bounded. */
class LoginThrottleWindowTests {

    private Instant now = Instant.parse("2026-11-29T12:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void failuresExpireAfterTheWindowAndAGoodLoginClearsTheUser() {
        LoginThrottle throttle = new LoginThrottle(new SecurityProperties.Login(3, Duration.ofMinutes(1)), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.blocked("alice", "10.0.0.1")).isFalse();
            throttle.failed("alice", "10.0.0.1");
            now = now.plusSeconds(10);
        }
        assertThat(throttle.blocked("ALICE", "10.0.0.9")).as("user names are not case-sensitive here").isTrue();
        assertThat(throttle.blocked("bob", "10.0.0.1")).as("the address is spent too").isTrue();
        assertThat(throttle.blocked("bob", "10.0.0.2")).isFalse();
        now = now.plusSeconds(31);
        assertThat(throttle.blocked("alice", "10.0.0.1")).as("the first failure left the window").isFalse();
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.blocked("alice", "10.0.0.3")).isTrue();
        throttle.succeeded("alice");
        assertThat(throttle.blocked("alice", "10.0.0.3")).isFalse();
        assertThat(throttle.blocked("carol", "10.0.0.1")).as("a good login does not reset the address").isTrue();
    }

    @Test
    void manyNamesDoNotGrowItWithoutBound() {
        LoginThrottle throttle = new LoginThrottle(new SecurityProperties.Login(10, Duration.ofMinutes(1)), clock);
        for (int i = 0; i < 3 * LoginThrottle.MAX_KEYS; i++) {
            throttle.failed("name-" + i, "10.0." + (i / 250 % 250) + "." + (i % 250));
        }
        assertThat(throttle.size()).isLessThanOrEqualTo(LoginThrottle.MAX_KEYS + 2);
    }
}
