package io.memdoctor.sampling;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.snapshots.SnapshotStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotCollectorTests {

    @Test
    void refusalsAreErrorsAndSilenceIsUnreachable() {
        assertThat(SnapshotCollector.classify(new RedisConnectionException("Unable to connect",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair"))))
                .isEqualTo(SnapshotStatus.ERROR);
        assertThat(SnapshotCollector.classify(new RedisConnectionException(
                "Unable to connect: NOAUTH Authentication required."))).isEqualTo(SnapshotStatus.ERROR);
        assertThat(SnapshotCollector.classify(new RedisConnectionException("Unable to connect",
                new java.net.ConnectException("Connection refused")))).isEqualTo(SnapshotStatus.UNREACHABLE);
        assertThat(SnapshotCollector.classify(new RedisCommandTimeoutException("Command timed out after 1 second(s)")))
                .isEqualTo(SnapshotStatus.UNREACHABLE);
    }

    @Test
    void reasonsNameTheCauseButNeverThePassword() {
        Instance instance = new Instance(InstanceId.of("x"), "x", RedisUrl.of("redis://:hunter2@127.0.0.1:1"),
                Instance.Source.RUNTIME);
        String reason = SnapshotCollector.reason(new RedisConnectionException("Unable to connect to 127.0.0.1:1",
                new IllegalStateException("handshake with hunter2 failed")), instance);
        assertThat(reason).isEqualTo("Unable to connect to 127.0.0.1:1: handshake with *** failed");
    }
}
