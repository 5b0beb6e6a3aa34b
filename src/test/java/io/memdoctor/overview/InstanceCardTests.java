package io.memdoctor.overview;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.snapshots.MemoryCeiling;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The case the declared limit exists for: a pod limited to 1 GiB on a 64 GiB host, maxmemory 0, 950 MB used. Against
 * the host it reads 1.5 % and nobody looks; against the pod's limit it is near full and sorts first.
 */
class InstanceCardTests {

    static final long MB = 1024L * 1024;
    static final Instant AT = Instant.parse("2026-11-30T05:00:00Z");

    static Snapshot sample(long maxmemory) {
        Map<Metric, Object> v = new EnumMap<>(Metric.class);
        v.put(Metric.USED_MEMORY, 950 * MB);
        v.put(Metric.USED_MEMORY_RSS, 990 * MB);
        v.put(Metric.MAXMEMORY, maxmemory);
        v.put(Metric.TOTAL_SYSTEM_MEMORY, 64 * 1024 * MB);
        return Snapshot.ok(InstanceId.of("pod"), AT, v);
    }

    static InstanceCard card(Long memoryLimit, long maxmemory) {
        Instance pod = new Instance(InstanceId.of("pod"), "pod", RedisUrl.of("redis://10.0.0.5:6379"),
                Instance.Source.RUNTIME, Instance.Kind.SERVER, null, memoryLimit);
        return InstanceCard.of(pod, new InstanceStatus("OK", AT, null, null), sample(maxmemory), List.of(), null,
                List.of());
    }

    @Test
    void aPodNearItsDeclaredLimitIsNearFullNotOnePointFivePercent() {
        InstanceCard host = card(null, 0);
        assertThat(host.percentOfLimit()).isEqualTo(1);
        assertThat(host.attention()).isEqualTo(Attention.NONE);
        assertThat(host.ceiling().kind()).isEqualTo(MemoryCeiling.Kind.HOST);

        InstanceCard pod = card(1024 * MB, 0);
        assertThat(pod.percentOfLimit()).isEqualTo(93);
        assertThat(pod.attention()).isEqualTo(Attention.FULL);
        assertThat(pod.ceiling().describe()).isEqualTo("1.0 GB memory limit (declared)");
        assertThat(pod.ceilingCode()).isEqualTo("memory-limit");
        assertThat(pod.memoryLimit()).isEqualTo(1024 * MB);

        // maxmemory 2gb in the 1 GiB pod: the pod's limit is what is reached first
        InstanceCard above = card(1024 * MB, 2048 * MB);
        assertThat(above.attention()).isEqualTo(Attention.FULL);
        assertThat(above.ceiling().declared()).isTrue();
        // maxmemory under the limit is the ceiling, as without one
        InstanceCard under = card(4096 * MB, 2000 * MB);
        assertThat(under.ceiling().maxmemory()).isTrue();
        assertThat(under.percentOfLimit()).isEqualTo(48);
    }
}
