package io.memdoctor.security;

import java.time.Duration;
import java.time.Instant;

import io.memdoctor.support.MovingClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's window slides: failures older than it stop counting, and its memory stays bounded. */
class LoginThrottleWindowTests {

    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-29T12:00:00Z"));

    @Test
    void failuresExpireAfterTheWindowAndAGoodLoginClearsTheUser() {
        LoginThrottle throttle = new LoginThrottle(new SecurityProperties.Login(3, Duration.ofMinutes(1)), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.blocked("alice", "10.0.0.1")).isFalse();
            throttle.failed("alice", "10.0.0.1");
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(throttle.blocked("ALICE", "10.0.0.9")).as("user names are not case-sensitive here").isTrue();
        assertThat(throttle.blocked("bob", "10.0.0.1")).as("the address is spent too").isTrue();
        assertThat(throttle.blocked("bob", "10.0.0.2")).isFalse();
        clock.advance(Duration.ofSeconds(31));
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
