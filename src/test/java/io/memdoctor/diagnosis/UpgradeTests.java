package io.memdoctor.diagnosis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.snapshots.InfoParser;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static io.memdoctor.diagnosis.Series.MB;
import static io.memdoctor.diagnosis.Series.START;
import static io.memdoctor.diagnosis.Series.diagnose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade between two samples is named, not taken for growth; the one to Redis 7.4, which starts counting the Lua
 * VM in used_memory, says so. First on injected history, then on the INFO of two real servers (7.2.6, then 7.4.1,
 * with the same scripts run on each) sampled as one instance in sequence.
 */
class UpgradeTests {

    static final Path BUILDS = Path.of("../shared/redis-builds");

    /** 7.2.6 for the first half, 7.4.1 after a restart: used_memory and the dataset step up by the Lua VM. */
    private static List<Snapshot> upgradeTo74(boolean versionChanges) {
        return Series.of(12, (i, v) -> {
            boolean after = i >= 6;
            v.put(Metric.REDIS_VERSION, after && versionChanges ? "7.4.1" : "7.2.6");
            v.put(Metric.UPTIME_IN_SECONDS, after ? (long) i - 6 : 1000L + i);
            v.put(Metric.USED_MEMORY_VM_EVAL, 40 * MB);
            v.put(Metric.USED_MEMORY, after ? 240 * MB : 200 * MB);
            v.put(Metric.USED_MEMORY_DATASET, after ? 190 * MB : 150 * MB);
            v.put(Metric.USED_MEMORY_RSS, after ? 260 * MB : 215 * MB);
        });
    }

    @Test
    void anUpgradeTo74IsFlaggedAsLuaNowCountedNotAsGrowth() {
        // the control: the same step without a version change reads as growth
        assertThat(diagnose(upgradeTo74(false)).findings()).extracting(Finding::verdict).contains(Verdict.DATA_GROWTH);

        Diagnosis diagnosis = diagnose(upgradeTo74(true));
        assertThat(diagnosis.findings()).extracting(Finding::verdict).doesNotContain(Verdict.DATA_GROWTH)
                .contains(Verdict.SERVER_UPGRADE);
        Finding upgrade = diagnosis.findings().stream().filter(f -> f.verdict() == Verdict.SERVER_UPGRADE)
                .findFirst().orElseThrow();
        assertThat(upgrade.severity()).isEqualTo(Severity.INFO);
        assertThat(upgrade.cause()).isEqualTo("lua-counted");
        assertThat(upgrade.summary()).contains("Redis 7.2.6 → Redis 7.4.1")
                .contains("upgrade to 7.4 counts Lua VM memory in used_memory (40.0 MB now)")
                .contains("+40.0 MB");
        assertThat(upgrade.evidence()).anyMatch(e -> e.startsWith("used_memory 200 MB → 240 MB"));
    }

    @Test
    void anotherVersionChangeIsNamedWithoutTheLuaNote() {
        Diagnosis diagnosis = diagnose(Series.of(12, (i, v) -> {
            v.put(Metric.REDIS_VERSION, i >= 6 ? "7.2.6" : "7.0.15");
            v.put(Metric.UPTIME_IN_SECONDS, i >= 6 ? (long) i - 6 : 1000L + i);
        }));
        Finding upgrade = diagnosis.findings().stream().filter(f -> f.verdict() == Verdict.SERVER_UPGRADE)
                .findFirst().orElseThrow();
        assertThat(upgrade.cause()).isNull();
        assertThat(upgrade.summary()).contains("Redis 7.0.15 → Redis 7.2.6").doesNotContain("Lua");
        // Valkey reports redis_version 7.2.4: moving to it is not an upgrade to 7.4
        assertThat(UpgradeNarrator.countsLua(Snapshot.ok(InstanceId.of("v"), START,
                Map.of(Metric.REDIS_VERSION, "7.2.4", Metric.VALKEY_VERSION, "8.0.1")))).isFalse();
        assertThat(UpgradeNarrator.countsLua(Snapshot.ok(InstanceId.of("p"), START,
                Map.of(Metric.REDIS_VERSION, "7.9.224")))).isTrue();
        assertThat(diagnose(Series.of(12, (i, v) -> v.put(Metric.REDIS_VERSION, "7.4.1"))).findings())
                .extracting(Finding::verdict).doesNotContain(Verdict.SERVER_UPGRADE);
    }

    @Test
    void twoRealServersSampledInSequenceShowTheLuaVmCountedAfterTheUpgrade() {
        Path old = BUILDS.resolve("redis-server-7.2.6");
        Path next = BUILDS.resolve("redis-server-7.4.1");
        Assumptions.assumeTrue(Files.isExecutable(old) && Files.isExecutable(next),
                () -> BUILDS.toAbsolutePath().normalize() + " has no 7.2.6 and 7.4.1 builds: skipped");
        List<Snapshot> samples = new ArrayList<>();
        for (Path binary : List.of(old, next)) {
            try (RedisServer redis = RedisServer.start(binary)) {
                try (RedisPipe pipe = RedisPipe.to(redis)) {
                    for (int i = 0; i < 400; i++) {
                        // distinct scripts, fewer than the 500 EVAL scripts 7.4 keeps before it evicts
                        pipe.command("EVAL", "local t = {} for i = 1, 20 do t[i] = string.rep('x', 200) .. i end"
                                + " return " + i, "0");
                    }
                }
                for (int i = 0; i < 8; i++) {
                    Map<Metric, Object> values = InfoParser.metrics(redis.cli("INFO", "all"), null);
                    samples.add(Snapshot.ok(InstanceId.of("upgraded"), START.plusSeconds(samples.size()), values));
                }
            }
        }
        Snapshot before = samples.get(7);
        Snapshot after = samples.get(8);
        long lua = after.getLong(Metric.USED_MEMORY_VM_EVAL);
        assertThat(lua).as("the Lua VM after 400 scripts").isGreaterThan(150_000);
        // no keys: the dataset is what used_memory holds beyond its overhead. 7.2 keeps the VM out of used_memory,
        // 7.4 counts it there, outside the overhead, so it shows as dataset
        assertThat(before.getLong(Metric.USED_MEMORY_DATASET)).isLessThan(before.getLong(Metric.USED_MEMORY_VM_EVAL));
        assertThat(after.getLong(Metric.USED_MEMORY_DATASET)).isGreaterThanOrEqualTo(lua);
        Diagnosis diagnosis = diagnose(samples);
        Finding upgrade = diagnosis.findings().stream().filter(f -> f.verdict() == Verdict.SERVER_UPGRADE)
                .findFirst().orElseThrow();
        assertThat(upgrade.cause()).isEqualTo("lua-counted");
        assertThat(upgrade.summary()).contains("Redis 7.2.6 → Redis 7.4.1").contains("counts Lua VM memory");
        assertThat(diagnosis.findings()).extracting(Finding::verdict).doesNotContain(Verdict.DATA_GROWTH);
    }
}
