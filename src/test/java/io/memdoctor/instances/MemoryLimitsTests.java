package io.memdoctor.instances;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.secrets.SecretBox;
import io.memdoctor.support.MovingClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The declared limits are read per sample from memory: all of them in one query at most every 10 s, so a change
 * another replica stored shows within that, and a change made here shows at once (with its event).
 */
@JdbcTest
class MemoryLimitsTests {

    static final InstanceId POD = new InstanceId("pod");

    @Autowired
    JdbcTemplate jdbc;

    MovingClock clock = new MovingClock(Instant.parse("2026-11-30T06:00:00Z"));

    @Test
    void readFromMemoryAtMostTenSecondsOldAndAtOnceAfterAChangeHere() {
        InstanceRepository repository = new InstanceRepository(jdbc, SecretBox.withKey(new byte[32]));
        Instance pod = new Instance(POD, "pod", RedisUrl.of("redis://10.0.0.8:6379"), Instance.Source.RUNTIME,
                Instance.Kind.SERVER, null, 1L << 30);
        repository.insert(pod, clock.instant());
        InstanceService instances = mock(InstanceService.class);
        given(instances.get("pod")).willReturn(pod);
        List<Object> events = new ArrayList<>();
        MemoryLimits limits = new MemoryLimits(repository, instances, events::add, clock);

        assertThat(limits.of(POD)).contains(1L << 30);
        assertThat(limits.of(new InstanceId("other"))).isEmpty();

        // another replica stores 2 GiB: read again once the copy here is 10 s old, not before
        repository.updateMemoryLimit(POD, 2L << 30);
        clock.advance(MemoryLimits.FRESH.minusMillis(1));
        assertThat(limits.of(POD)).contains(1L << 30);
        clock.advance(java.time.Duration.ofMillis(1));
        assertThat(limits.of(POD)).contains(2L << 30);

        // declared here: at once, with the event that drops a cached forecast
        assertThat(limits.declare("pod", 3L << 30).memoryLimit()).isEqualTo(3L << 30);
        assertThat(limits.of(POD)).contains(3L << 30);
        assertThat(events).containsExactly(new MemoryLimitChanged(POD));
        limits.declare("pod", null);
        assertThat(limits.of(POD)).isEmpty();
        assertThatThrownBy(() -> limits.declare("pod", 0L)).isInstanceOf(IllegalArgumentException.class);
        assertThat(repository.findById(POD).orElseThrow().memoryLimit()).isNull();
    }
}
