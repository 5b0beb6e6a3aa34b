package io.memdoctor.diagnosis;

import java.util.List;

import io.memdoctor.instances.ClientList;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import org.junit.jupiter.api.Test;

import static io.memdoctor.diagnosis.Series.MB;
import static io.memdoctor.diagnosis.Series.START;
import static io.memdoctor.diagnosis.Series.diagnose;
import static org.assertj.core.api.Assertions.assertThat;

/** Overhead told apart from data, the kinds of data growth, several findings at once, and severity from headroom. */
class FindingsTests {

    static final String CLIENTS = String.join("\n",
            "id=7 addr=10.0.0.9:51234 laddr=10.0.0.5:6379 fd=8 name=feed-reader age=300 idle=290 flags=P db=0 sub=1"
                    + " psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0"
                    + " oll=9000 omem=94371840 tot-mem=94400000 events=rw cmd=subscribe user=default redir=-1 resp=2",
            "id=8 addr=10.0.0.10:40000 laddr=10.0.0.5:6379 fd=9 name= age=10 idle=0 flags=N db=0 sub=0 psub=0"
                    + " ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0"
                    + " tot-mem=20000 events=r cmd=get user=default redir=-1 resp=2", "");

    /** used_memory = dataset + overhead, the overhead being startup plus the parts a test sets. */
    static void split(java.util.Map<Metric, Object> v, long dataset, long... parts) {
        long overhead = MB;
        for (long part : parts) {
            overhead += part;
        }
        v.put(Metric.USED_MEMORY_STARTUP, MB);
        v.put(Metric.USED_MEMORY_DATASET, dataset);
        v.put(Metric.USED_MEMORY_OVERHEAD, overhead);
        v.put(Metric.USED_MEMORY, dataset + overhead);
        v.put(Metric.USED_MEMORY_RSS, dataset + overhead + 15 * MB);
    }

    @Test
    void aStuckSubscribersBuffersAreClientBuffersNotDataGrowth() {
        List<Snapshot> series = Series.of(60, (i, v) -> {
            v.put(Metric.MEM_CLIENTS_NORMAL, i * 2 * MB);
            split(v, 200 * MB, i * 2 * MB);
        });
        Diagnosis diagnosis = Diagnoser.diagnose(series, START, START.plusSeconds(60), "redis-cli -p 6379",
                () -> ClientList.parse(CLIENTS), java.time.Duration.ZERO);
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.CLIENT_BUFFERS);
        assertThat(diagnosis.severity()).isEqualTo(Severity.WARNING);
        assertThat(diagnosis.findings()).extracting(Finding::verdict).doesNotContain(Verdict.DATA_GROWTH);
        assertThat(diagnosis.summary()).contains("not data").contains("'feed-reader' at 10.0.0.9:51234 (pubsub");
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("id=7 name=feed-reader addr=10.0.0.9:51234 class pubsub"
                + " (flags=P), omem 90.0 MB, tot-mem 90.0 MB, last command subscribe"));
        // the subscriber's class has its own limit: a normal limit would not cap it
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("client-output-buffer-limit \"pubsub 32mb 8mb 60\""))
                .anyMatch(s -> s.contains("CLIENT KILL ID 7"));
    }

    @Test
    void pagesLeftByDrainedClientBuffersAreNotASecondWarning() {
        // a subscriber's buffers climb to 100 MB, it is killed, RSS keeps the pages: the excess is the buffers' leftover
        List<Snapshot> series = Series.of(60, (i, v) -> {
            long buffers = i < 40 ? i * 5L / 2 * MB : 0;
            v.put(Metric.MEM_CLIENTS_NORMAL, buffers);
            split(v, 200 * MB, buffers);
            long used = 200 * MB + MB + buffers;
            long rss = i < 40 ? used + 15 * MB : 200 * MB + MB + 115 * MB;
            v.put(Metric.USED_MEMORY_RSS, rss);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, (double) rss / used);
            v.put(Metric.ALLOCATOR_FRAG_RATIO, i < 40 ? 1.01 : 1.3);
            v.put(Metric.ALLOCATOR_FRAG_BYTES, i < 40 ? MB : 60 * MB);
            v.put(Metric.ALLOCATOR_RSS_BYTES, i < 40 ? MB : 40 * MB);
        });
        Diagnosis diagnosis = diagnose(series);
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.CLIENT_BUFFERS);
        Finding fragmentation = diagnosis.findings().stream().filter(f -> f.verdict() == Verdict.FRAGMENTATION)
                .findFirst().orElseThrow();
        assertThat(fragmentation.severity()).isEqualTo(Severity.INFO);
        assertThat(fragmentation.evidence()).anyMatch(e -> e.contains("client buffers finding's peak (+97.0 MB)"));

        // the same RSS excess without a buffer peak is fragmentation worth a warning
        Diagnosis alone = diagnose(Series.of(60, (i, v) -> {
            split(v, 200 * MB);
            long used = 201 * MB;
            long rss = i < 40 ? used + 15 * MB : used + 115 * MB;
            v.put(Metric.USED_MEMORY_RSS, rss);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, (double) rss / used);
            v.put(Metric.ALLOCATOR_FRAG_RATIO, i < 40 ? 1.01 : 1.3);
            v.put(Metric.ALLOCATOR_FRAG_BYTES, i < 40 ? MB : 60 * MB);
            v.put(Metric.ALLOCATOR_RSS_BYTES, i < 40 ? MB : 40 * MB);
        }));
        assertThat(alone.verdict()).isEqualTo(Verdict.FRAGMENTATION);
        assertThat(alone.severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void clientsAreNotNamedWhenClientListIsRefusedAndTheFindingSaysWhy() {
        Diagnosis diagnosis = Diagnoser.diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.MEM_CLIENTS_NORMAL, i * 2 * MB);
            split(v, 200 * MB, i * 2 * MB);
        }), START, START.plusSeconds(60), "redis-cli", () -> ClientList.unavailable("Redis refused CLIENT LIST (NOPERM)"),
                java.time.Duration.ZERO);
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.CLIENT_BUFFERS);
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("Clients not named: Redis refused CLIENT LIST"));
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("\"normal 256mb 64mb 60\""));
    }

    @Test
    void aQueueThatFillsAndDrainsIsInfoAtMost() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            long buffers = i < 30 ? i * MB : Math.max(0, (60 - i * 2L + 30)) * MB;
            v.put(Metric.MEM_CLIENTS_NORMAL, buffers);
            split(v, 200 * MB, buffers);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.CLIENT_BUFFERS);
        assertThat(diagnosis.severity()).isEqualTo(Severity.INFO);
        assertThat(diagnosis.summary()).contains("drained again");
    }

    @Test
    void replicaBuffersAndAFullSyncAreReplication() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.MEM_CLIENTS_SLAVES, i * MB);
            v.put(Metric.MEM_REPLICATION_BACKLOG, MB);
            v.put(Metric.CONNECTED_SLAVES, 1L);
            v.put(Metric.REPLICAS_NOT_ONLINE, i >= 10 ? 1L : 0L);
            v.put(Metric.SYNC_FULL, i >= 10 ? 2L : 1L);
            split(v, 200 * MB, i * MB, MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.REPLICATION);
        assertThat(diagnosis.severity()).isEqualTo(Severity.WARNING);
        assertThat(diagnosis.summary()).contains("a replica is not online (a full sync)");
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("sync_full grew by 1"));
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("client-output-buffer-limit \"replica"))
                .anyMatch(s -> s.contains("repl-backlog-size"));
    }

    @Test
    void manyDistinctEvalScriptsAreTheScriptCache() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.NUMBER_OF_CACHED_SCRIPTS, i * 2_000L);
            v.put(Metric.USED_MEMORY_SCRIPTS, i * MB / 2);
            v.put(Metric.USED_MEMORY_VM_EVAL, 32_768L + i * MB / 2);
            split(v, 200 * MB, i * MB / 2);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.SCRIPT_CACHE);
        assertThat(diagnosis.summary()).contains("118,000 new Lua scripts");
        assertThat(diagnosis.nextSteps()).anyMatch(s -> s.contains("SCRIPT FLUSH"));
    }

    @Test
    void onRedis74ScriptsEvictedAreTheSameHabitButInfo() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.NUMBER_OF_CACHED_SCRIPTS, 500L);
            v.put(Metric.EVICTED_SCRIPTS, i * 2_000L);
            v.put(Metric.USED_MEMORY_SCRIPTS, MB);
            split(v, 200 * MB, MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.SCRIPT_CACHE);
        assertThat(diagnosis.severity()).isEqualTo(Severity.INFO);
        assertThat(diagnosis.summary()).contains("evicted 118,000 Lua scripts").contains("compiled again");
    }

    @Test
    void onRedis74ScriptsLoadedOneByOneAreTheScriptCacheNotDataGrowth() {
        // 7.4+ counts the Lua VM in used_memory and so in the dataset: SCRIPT LOAD of a new script per call
        Diagnosis diagnosis = diagnose(Series.of(90, (i, v) -> {
            v.put(Metric.REDIS_VERSION, "7.4.1");
            v.put(Metric.NUMBER_OF_CACHED_SCRIPTS, i * 2_000L);
            v.put(Metric.EVICTED_SCRIPTS, 0L);
            v.put(Metric.USED_MEMORY_SCRIPTS, i * MB);
            v.put(Metric.USED_MEMORY_VM_EVAL, 32_768L + i * 3 * MB / 2);
            split(v, 20 * MB + 32_768L + i * 3 * MB / 2, i * MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.SCRIPT_CACHE);
        assertThat(diagnosis.severity()).isEqualTo(Severity.WARNING);
        assertThat(diagnosis.findings()).extracting(Finding::verdict).doesNotContain(Verdict.DATA_GROWTH);
        // the same dataset rise without a Lua VM behind it is growth
        Diagnosis keys = diagnose(Series.of(90, (i, v) -> {
            v.put(Metric.REDIS_VERSION, "7.4.1");
            v.put(Metric.USED_MEMORY_VM_EVAL, 32_768L);
            split(v, 20 * MB + 32_768L + i * 3 * MB / 2);
        }));
        assertThat(keys.verdict()).isEqualTo(Verdict.DATA_GROWTH);
        assertThat(keys.evidence()).anyMatch(e -> e.startsWith("used_memory_dataset without the Lua VM"));
    }

    @Test
    void moreKeysIsToldApartFromKeysThatGrowAndFromLostTtls() {
        Diagnosis more = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.KEYS, 100_000L + i * 1_000L);
            v.put(Metric.EXPIRES, 100_000L + i * 1_000L);
            split(v, 200 * MB + i * MB);
        }));
        assertThat(more.verdict()).isEqualTo(Verdict.DATA_GROWTH);
        assertThat(more.cause()).isEqualTo("more-keys");
        assertThat(more.summary()).contains("more keys: 100,000 → 159,000");
    }

    @Test
    void growthThatThenEvictsGivesBothFindingsEachWithItsEvidence() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.MAXMEMORY, 300 * MB);
            v.put(Metric.MAXMEMORY_POLICY, "volatile-lru");
            v.put(Metric.KEYS, 100_000L + i * 1_000L);
            v.put(Metric.EVICTED_KEYS, i > 50 ? (i - 50) * 100L : 0L);
            split(v, Math.min(290 * MB, 200 * MB + i * 2 * MB));
        }));
        assertThat(diagnosis.findings()).extracting(Finding::verdict)
                .contains(Verdict.MEMORY_PRESSURE, Verdict.DATA_GROWTH);
        assertThat(diagnosis.findings()).allSatisfy(f -> assertThat(f.evidence()).isNotEmpty());
        assertThat(diagnosis.findings().get(0).verdict()).isEqualTo(diagnosis.verdict());
        assertThat(diagnosis.severity()).isNotEqualTo(Severity.INFO);
    }

    @Test
    void aRoutineForkWithAmpleHeadroomIsAStableInstanceAndTheSameForkOnAFullHostIsNot() {
        java.util.function.BiConsumer<Integer, java.util.Map<Metric, Object>> fork = (i, v) -> {
            boolean running = i >= 20 && i < 25;
            v.put(Metric.RDB_BGSAVE_IN_PROGRESS, running ? 1L : 0L);
            v.put(Metric.TOTAL_FORKS, i >= 20 ? 1L : 0L);
            v.put(Metric.RDB_LAST_COW_SIZE, i >= 25 ? 40 * MB : 0L);
        };
        Diagnosis roomy = diagnose(Series.of(40, fork));
        assertThat(roomy.verdict()).isEqualTo(Verdict.STABLE);
        assertThat(roomy.severity()).isEqualTo(Severity.INFO);
        assertThat(roomy.summary()).contains("Listed below: Routine fork: a BGSAVE at 2026-03-01 12:00:19 UTC copied 40.0 MB (20% of the data)");
        assertThat(roomy.findings()).hasSize(2);
        Finding routine = roomy.findings().get(1);
        assertThat(routine.verdict()).isEqualTo(Verdict.COPY_ON_WRITE);
        assertThat(routine.severity()).isEqualTo(Severity.INFO);
        assertThat(routine.cause()).isEqualTo("routine-fork");
        assertThat(routine.summary()).contains("not an incident");
        Diagnosis tight = diagnose(Series.of(40, (i, v) -> {
            fork.accept(i, v);
            v.put(Metric.TOTAL_SYSTEM_MEMORY, 300 * MB);
        }));
        assertThat(tight.verdict()).isEqualTo(Verdict.COPY_ON_WRITE);
        assertThat(tight.severity()).isIn(Severity.WARNING, Severity.CRITICAL);
        assertThat(tight.summary()).contains("could not hold the worst case");
    }

    @Test
    void aForkThatCopiedMostOfTheDataIsCopyOnWriteEvenWithRoomToSpare() {
        java.util.function.BiConsumer<Integer, java.util.Map<Metric, Object>> heavy = (i, v) -> {
            boolean running = i >= 20 && i < 25;
            v.put(Metric.RDB_BGSAVE_IN_PROGRESS, running ? 1L : 0L);
            v.put(Metric.TOTAL_FORKS, i >= 20 ? 1L : 0L);
            v.put(Metric.CURRENT_COW_PEAK, running ? (i - 19) * 30 * MB : 0L);
            v.put(Metric.MAXMEMORY, 1024 * MB);
            v.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        };
        Diagnosis roomy = diagnose(Series.of(40, heavy));
        assertThat(roomy.verdict()).isEqualTo(Verdict.COPY_ON_WRITE);
        assertThat(roomy.cause()).isEqualTo("heavy-copy");
        // a 1 GB cache on a 16 GB host: even a fork copying all of maxmemory fits
        assertThat(roomy.severity()).isEqualTo(Severity.INFO);
        assertThat(roomy.summary()).contains("copied 150 MB (75% of the data)").contains("grew the footprint by 75%")
                .contains("not urgent");
        Diagnosis ceilingTooHigh = diagnose(Series.of(40, (i, v) -> {
            heavy.accept(i, v);
            v.put(Metric.MAXMEMORY, 10 * 1024 * MB);
        }));
        // 10 GB of data at maxmemory, all copied by a fork, does not fit in 16 GB
        assertThat(ceilingTooHigh.verdict()).isEqualTo(Verdict.COPY_ON_WRITE);
        assertThat(ceilingTooHigh.severity()).isEqualTo(Severity.WARNING);
        assertThat(ceilingTooHigh.findings().get(0).evidence())
                .anyMatch(e -> e.contains("with the data at maxmemory 10.0 GB) a fork needs 20.0 GB"));
    }

    @Test
    void pagesTheAllocatorKeepsAreNotCalledDefragmentableFragmentation() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            long used = i < 10 ? 400 * MB : 200 * MB;
            v.put(Metric.USED_MEMORY, used);
            v.put(Metric.USED_MEMORY_RSS, 415 * MB);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, 415.0 * MB / used);
            v.put(Metric.ALLOCATOR_FRAG_RATIO, 1.02);
            v.put(Metric.ALLOCATOR_FRAG_BYTES, 4 * MB);
            v.put(Metric.ALLOCATOR_RSS_RATIO, 1.9);
            v.put(Metric.ALLOCATOR_RSS_BYTES, 190 * MB);
        }));
        // reusable memory, not an incident: listed under a STABLE headline
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.STABLE);
        assertThat(diagnosis.severity()).isEqualTo(Severity.INFO);
        assertThat(diagnosis.summary()).contains("used_memory fell by 200 MB").contains("Listed below: Fragmentation");
        Finding kept = diagnosis.findings().get(1);
        assertThat(kept.verdict()).isEqualTo(Verdict.FRAGMENTATION);
        assertThat(kept.cause()).isEqualTo("kept-pages");
        assertThat(kept.severity()).isEqualTo(Severity.INFO);
        assertThat(kept.summary()).contains("keeps 190 MB of freed pages for the next fill")
                .doesNotContain("active defrag can compact");
    }

    @Test
    void aSixteenMegabyteRiseIsNotCalledFlat() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            // on 400 MB, 16 MB is under the 5% that counts as growth: still, it is a rise
            v.put(Metric.USED_MEMORY, 400 * MB + (i >= 30 ? 16 * MB : 0));
            v.put(Metric.USED_MEMORY_RSS, 415 * MB + i * 3 * MB);
            v.put(Metric.ALLOCATOR_FRAG_RATIO, 1.6);
            v.put(Metric.ALLOCATOR_FRAG_BYTES, 150 * MB);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.FRAGMENTATION);
        assertThat(diagnosis.summary()).contains("used_memory rose by 16.0 MB").doesNotContain("flat");
    }

    @Test
    void aRestartThatReloadsTheDataIsNotGrowth() {
        Diagnosis diagnosis = diagnose(Series.of(60, (i, v) -> {
            v.put(Metric.UPTIME_IN_SECONDS, i < 30 ? 1000L + i : (long) i - 30);
            // a restart empties memory for a moment, then the RDB file loads it back
            split(v, i == 30 ? 0 : 200 * MB);
            v.put(Metric.EVICTED_KEYS, i < 30 ? 50L : 0L);
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.STABLE);
        assertThat(diagnosis.evidence()).anyMatch(e -> e.contains("restarted 1 time(s)"));
    }

    @Test
    void aClimbShorterThanTheMinimumIsNotYetGrowth() {
        List<Snapshot> filling = Series.of(30, (i, v) -> split(v, 200 * MB + i * 2 * MB));
        assertThat(Diagnoser.diagnose(filling, START, START.plusSeconds(30), "redis-cli",
                () -> ClientList.unavailable("-"), java.time.Duration.ofSeconds(60)).verdict()).isEqualTo(Verdict.STABLE);
        assertThat(Diagnoser.diagnose(filling, START, START.plusSeconds(30), "redis-cli",
                () -> ClientList.unavailable("-"), java.time.Duration.ofSeconds(20)).verdict())
                .isEqualTo(Verdict.DATA_GROWTH);
    }

    @Test
    void aHealthyInstanceNearItsCeilingIsStillNamedStableButNotInfo() {
        Diagnosis diagnosis = diagnose(Series.of(30, (i, v) -> {
            v.put(Metric.MAXMEMORY, 210 * MB);
            v.put(Metric.MAXMEMORY_POLICY, "allkeys-lru");
        }));
        assertThat(diagnosis.verdict()).isEqualTo(Verdict.STABLE);
        assertThat(diagnosis.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aDeclaredMemoryLimitIsTheCeilingWhereMaxmemoryIsUnset() {
        // 200 MB used, no maxmemory, a 16 GB host: ample room, unless the container is limited to 210 MB
        List<io.memdoctor.snapshots.Snapshot> steady = Series.of(30, (i, v) -> { });
        assertThat(diagnose(steady).severity()).isEqualTo(Severity.INFO);
        Diagnosis pod = Series.diagnose(steady, 210 * MB);
        assertThat(pod.verdict()).isEqualTo(Verdict.STABLE);
        assertThat(pod.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(pod.evidence()).anySatisfy(line -> assertThat(line)
                .contains("against memory limit (declared) 210 MB, 5% left").doesNotContain("host"));
        assertThat(Series.diagnose(steady, 400 * MB).severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void rssAndAForksCopyAreJudgedAgainstTheDeclaredLimitNotTheHost() {
        java.util.function.BiConsumer<Integer, java.util.Map<Metric, Object>> fork = (i, v) -> {
            boolean running = i >= 20 && i < 25;
            v.put(Metric.RDB_BGSAVE_IN_PROGRESS, running ? 1L : 0L);
            v.put(Metric.TOTAL_FORKS, i >= 20 ? 1L : 0L);
            v.put(Metric.RDB_LAST_COW_SIZE, i >= 25 ? 40 * MB : 0L);
        };
        // the same routine fork on the 16 GB host is STABLE; in a 300 MB container its worst case does not fit
        Diagnosis pod = Series.diagnose(Series.of(40, fork), 300 * MB);
        assertThat(pod.verdict()).isEqualTo(Verdict.COPY_ON_WRITE);
        assertThat(pod.severity()).isIn(Severity.WARNING, Severity.CRITICAL);
        assertThat(pod.summary()).contains("The memory limit could not hold the worst case");
        assertThat(pod.evidence()).anySatisfy(line -> assertThat(line).contains("300 MB (memory limit (declared))"));

        // pages kept by the allocator: routine on the host, CRITICAL when RSS nears the container's limit
        java.util.function.BiConsumer<Integer, java.util.Map<Metric, Object>> kept = (i, v) -> {
            v.put(Metric.USED_MEMORY_RSS, i < 10 ? 215 * MB : 400 * MB);
            v.put(Metric.MEM_FRAGMENTATION_RATIO, i < 10 ? 1.07 : 2.0);
            v.put(Metric.ALLOCATOR_FRAG_RATIO, 1.02);
            v.put(Metric.ALLOCATOR_FRAG_BYTES, 4 * MB);
            v.put(Metric.ALLOCATOR_RSS_BYTES, i < 10 ? 5 * MB : 190 * MB);
        };
        assertThat(diagnose(Series.of(30, kept)).severity()).isNotEqualTo(Severity.CRITICAL);
        Diagnosis full = Series.diagnose(Series.of(30, kept), 420 * MB);
        Finding fragmentation = full.findings().stream().filter(f -> f.verdict() == Verdict.FRAGMENTATION).findFirst()
                .orElseThrow();
        assertThat(fragmentation.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(fragmentation.evidence()).anySatisfy(line -> assertThat(line)
                .contains("of the 420 MB memory limit (declared): the OOM killer is near"));
    }
}
