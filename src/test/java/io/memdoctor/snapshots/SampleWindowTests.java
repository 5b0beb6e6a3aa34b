package io.memdoctor.snapshots;

import java.time.Instant;
import java.util.List;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.diagnosis.Series;
import io.memdoctor.instances.InstanceService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A young instance whose first minute is already rolled up: the rules get its raw samples in time order, not the
 * rollup's synthetic min/max points in front of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class SampleWindowTests {

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository repository;

    @Autowired
    RollupRepository rollups;

    @Autowired
    SampleWindow window;

    @Test
    void rawSamplesInOrderEvenWhenTheFirstMinuteIsRolledUp() {
        InstanceId id = instances.add("young", "redis://127.0.0.1:9").id();
        Instant first = Instant.parse("2026-02-01T10:00:41Z");
        List<Snapshot> samples = Series.of(40, (i, v) -> v.put(Metric.USED_MEMORY, 100L + i))
                .stream().map(s -> Snapshot.ok(id, first.plusSeconds(s.timestamp().getEpochSecond()
                        - Series.START.getEpochSecond()), s.values())).toList();
        repository.saveAll(samples);
        rollups.rollUp(id, Instant.parse("2026-02-01T10:00:00Z"), Instant.parse("2026-02-01T10:01:00Z"));

        List<Snapshot> read = window.read(id, Instant.parse("2026-02-01T09:30:00Z"), Instant.parse("2026-02-01T10:30:00Z"), 2000);
        assertThat(read).hasSize(40);
        assertThat(read.get(0).timestamp()).isEqualTo(first);
        assertThat(read).isSortedAccordingTo(java.util.Comparator.comparing(Snapshot::timestamp));
    }
}
