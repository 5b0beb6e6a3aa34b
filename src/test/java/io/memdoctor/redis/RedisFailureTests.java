package io.memdoctor.redis;

import java.io.IOException;
import java.net.ConnectException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.redis.resp.ReplyRejected;
import io.memdoctor.redis.resp.RespConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisFailureTests {

    static final RedisUrl URL = RedisUrl.of("redis://app:hunter2@127.0.0.1:1");

    @Test
    void errorRepliesAreRefusalsWithTheirCodeAndSilenceIsUnreachable() {
        RedisFailure wrongPassword = RedisFailure.of(new RedisConnectionException("Unable to connect",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair")), URL);
        assertThat(wrongPassword.kind()).isEqualTo(RedisFailure.Kind.REFUSED);
        assertThat(wrongPassword.code()).isEqualTo("WRONGPASS");

        RedisFailure noAuth = RedisFailure.of(new RedisConnectionException(
                "Unable to connect: NOAUTH Authentication required."), URL);
        assertThat(noAuth.kind()).isEqualTo(RedisFailure.Kind.REFUSED);
        assertThat(noAuth.code()).isEqualTo("NOAUTH");

        RedisFailure denied = RedisFailure.of(new RedisCommandExecutionException(
                "NOPERM User app has no permissions to run the 'info' command"), URL);
        assertThat(denied.refused()).isTrue();
        assertThat(denied.code()).isEqualTo("NOPERM");

        RedisFailure scanAuth = RedisFailure.of(new IOException("AUTH was refused: WRONGPASS nope",
                new RespConnection.RedisError("WRONGPASS nope")), URL);
        assertThat(scanAuth.kind()).isEqualTo(RedisFailure.Kind.REFUSED);
        assertThat(scanAuth.code()).isEqualTo("WRONGPASS");

        assertThat(RedisFailure.of(new RedisConnectionException("Unable to connect",
                new ConnectException("Connection refused")), URL).kind()).isEqualTo(RedisFailure.Kind.UNREACHABLE);
        assertThat(RedisFailure.of(new RedisCommandTimeoutException("Command timed out after 1 second(s)"), URL)
                .kind()).isEqualTo(RedisFailure.Kind.UNREACHABLE);
    }

    @Test
    void repliesOverALimitAreErrors() {
        RedisFailure failure = RedisFailure.of(new RedisConnectionException("Unable to connect",
                new ReplyRejected("a bulk string of 9 bytes", "memdoctor.redis.commands.max-bulk")), URL);
        assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.ERROR);
        assertThat(failure.code()).isNull();
        assertThat(failure.reason()).isEqualTo("Unable to connect: Redis sent a bulk string of 9 bytes;"
                + " see memdoctor.redis.commands.max-bulk");
    }

    @Test
    void reasonsNameTheCauseButNeverThePasswordNorARawLineBreak() {
        RedisFailure failure = RedisFailure.of(new RedisConnectionException("Unable to connect to 127.0.0.1:1",
                new IllegalStateException("handshake with hunter2 failed\r\nINFO forged")), URL);
        assertThat(failure.reason()).isEqualTo("Unable to connect to 127.0.0.1:1: handshake with *** failed"
                + "\\r\\nINFO forged");
    }

    /** What the overview and the instance page show for a closed port, a timeout and an unknown host. */
    @Test
    void networkFailuresReadAsTheirCauseWithPlainAddresses() {
        ConnectException refused = new ConnectException("Connection refused: /127.0.0.1:9");
        refused.initCause(new ConnectException("Connection refused"));
        RedisFailure closed = RedisFailure.of(new java.util.concurrent.CompletionException(
                new RedisConnectionException("Unable to connect to 127.0.0.1/<unresolved>:9", refused)), URL);
        assertThat(closed.kind()).isEqualTo(RedisFailure.Kind.UNREACHABLE);
        assertThat(closed.reason()).isEqualTo("Connection refused: 127.0.0.1:9");
        assertThat(RedisFailure.of(new RedisConnectionException("Unable to connect to no.such.host/<unresolved>:6379",
                new java.net.UnknownHostException("no.such.host")), URL).reason())
                .isEqualTo("Unknown host: no.such.host");
        assertThat(RedisFailure.of(new java.util.concurrent.CompletionException(
                new RedisCommandTimeoutException("Command timed out after 1 second(s)")), URL).reason())
                .isEqualTo("Command timed out after 1 second(s)");
    }
}
