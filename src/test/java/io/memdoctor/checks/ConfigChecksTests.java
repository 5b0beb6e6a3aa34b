package io.memdoctor.checks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import org.junit.jupiter.api.Test;

import static io.memdoctor.checks.Samples.GB;
import static io.memdoctor.checks.Samples.MB;
import static io.memdoctor.checks.Samples.NOW;
import static io.memdoctor.checks.Samples.healthy;
import static org.assertj.core.api.Assertions.assertThat;

/** The rules on fake INFO values: each check's thresholds, evidence and remedy. No Redis needed. */
class ConfigChecksTests {

    private static CheckResult check(String id, CheckContext context) {
        return ConfigChecks.evaluate(context).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static HistoryFacts cow(long bytes) {
        return new HistoryFacts(Duration.ofHours(24), bytes, NOW.minusSeconds(3600), 0, Optional.empty(), null, null);
    }

    @Test
    void aHealthyCacheNeedsNoAction() {
        List<CheckResult> results = ConfigChecks.evaluate(healthy().context());
        assertThat(results).extracting(CheckResult::id).containsExactlyElementsOf(ConfigChecks.IDS);
        assertThat(results).filteredOn(CheckResult::actionable).isEmpty();
        assertThat(results).allSatisfy(r -> assertThat(r.evidence()).isNotBlank());
    }

    @Test
    void withoutASampleEveryCheckIsUnknown() {
        List<CheckResult> results = ConfigChecks.evaluate(new CheckContext(null, RedisSettings.unavailable("x"),
                HistoryFacts.NONE, Optional.empty(), NOW));
        assertThat(results).hasSize(ConfigChecks.IDS.size())
                .allSatisfy(r -> assertThat(r.severity()).isEqualTo(CheckSeverity.UNKNOWN));
    }

    @Test
    void maxmemoryUnsetSuggestsASizeUnderHostMemory() {
        CheckResult result = check("maxmemory-unset", healthy().set(Metric.MAXMEMORY, 0L).context(cow(512 * MB)));
        assertThat(result.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(result.evidence()).contains("maxmemory 0").contains("16.0 GB").contains("1.0 GB");
        assertThat(result.remedy()).contains("CONFIG SET maxmemory ").contains("gb").contains("maxmemory-policy allkeys-lru")
                .contains("CONFIG REWRITE");
        // (0.9 * 16 GB - 512 MB cow - buffers) / 1.1 * 0.75 -> 9 GB (whole gigabytes)
        assertThat(result.remedy()).contains("CONFIG SET maxmemory 9gb");
    }

    @Test
    void headroomCountsTheLargestCopyOnWrite() {
        CheckContext tight = healthy().set(Metric.MAXMEMORY, 14 * GB).context(cow(3 * GB));
        CheckResult result = check("maxmemory-headroom", tight);
        assertThat(result.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(result.evidence()).contains("maxmemory 14.0 GB").contains("largest copy-on-write seen 3.0 GB")
                .contains("16.0 GB total_system_memory");
        assertThat(result.remedy()).startsWith("CONFIG SET maxmemory ");

        CheckResult close = check("maxmemory-headroom", healthy().set(Metric.MAXMEMORY, 12800 * MB).context(cow(1 * GB)));
        assertThat(close.severity()).isEqualTo(CheckSeverity.WARNING);

        CheckResult roomy = check("maxmemory-headroom", healthy().context());
        assertThat(roomy.severity()).isEqualTo(CheckSeverity.OK);
        assertThat(roomy.evidence()).contains("no fork seen").contains("save \"\" and appendonly no");
    }

    @Test
    void noevictionIsCriticalOnceWritesAreRefusedAndAWarningOnACache() {
        Samples noeviction = healthy().set(Metric.MAXMEMORY_POLICY, "noeviction").set(Metric.ERRORSTAT_OOM, 42L);
        HistoryFacts oom = new HistoryFacts(Duration.ofHours(24), 0, null, 40, Optional.empty(), null, null);
        CheckResult refused = check("eviction-noeviction", noeviction.context(oom));
        assertThat(refused.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(refused.evidence()).contains("errorstat_OOM grew by 40");
        assertThat(refused.remedy()).contains("CONFIG SET maxmemory-policy allkeys-lru");

        assertThat(check("eviction-noeviction", noeviction.context()).severity()).isEqualTo(CheckSeverity.WARNING);
        CheckResult database = check("eviction-noeviction", noeviction.set(Metric.EXPIRES, 10L).context());
        assertThat(database.severity()).isEqualTo(CheckSeverity.OK);
        assertThat(database.evidence()).contains("10 of 100,000 keys");
    }

    @Test
    void volatilePolicyNeedsKeysWithATtl() {
        CheckResult few = check("eviction-volatile-without-ttl",
                healthy().set(Metric.MAXMEMORY_POLICY, "volatile-lru").set(Metric.EXPIRES, 5_000L).context());
        assertThat(few.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(few.evidence()).contains("5,000 of 100,000 keys (5.0%)");
        CheckResult none = check("eviction-volatile-without-ttl",
                healthy().set(Metric.MAXMEMORY_POLICY, "volatile-ttl").set(Metric.EXPIRES, 0L).context());
        assertThat(none.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(check("eviction-volatile-without-ttl", healthy().context()).severity()).isEqualTo(CheckSeverity.OK);
    }

    @Test
    void keysLosingTheirTtlAreAWarning() {
        HistoryFacts before = new HistoryFacts(Duration.ofHours(24), 0, null, 0, Optional.empty(), 0.97,
                NOW.minusSeconds(600));
        CheckResult result = check("keys-without-ttl", healthy().set(Metric.EXPIRES, 40_000L).context(before));
        assertThat(result.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(result.evidence()).contains("fell from 97%").contains("to 40%").contains("60,000 of 100,000 keys");

        CheckResult steady = check("keys-without-ttl", healthy().set(Metric.EXPIRES, 40_000L).context());
        assertThat(steady.severity()).isEqualTo(CheckSeverity.INFO);
        assertThat(check("keys-without-ttl", healthy().set(Metric.EXPIRES, 100_000L).context()).severity())
                .isEqualTo(CheckSeverity.OK);
    }

    @Test
    void keysWithoutTtlNamesPatternsFromTheLatestScan() {
        var scan = new LatestScanSummary.ScanFindings(NOW, 100_000, List.of(),
                List.of(new LatestScanSummary.PatternTtl("session:*", 50_000, 50_000, 100 * MB),
                        new LatestScanSummary.PatternTtl("user:*", 50_000, 5_000, 10 * MB)));
        CheckContext context = new CheckContext(healthy().set(Metric.EXPIRES, 45_000L).snapshot(),
                Samples.defaultSettings(), HistoryFacts.NONE, Optional.of(scan), NOW);
        assertThat(check("keys-without-ttl", context).evidence()).contains("session:* 50,000/50,000, user:* 5,000/50,000");
    }

    @Test
    void fragmentationTellsAllocatorWasteFromRssOverheadAndAPastPeak() {
        Samples allocator = healthy().set(Metric.USED_MEMORY_RSS, 2 * GB).set(Metric.MEM_FRAGMENTATION_RATIO, 2.0)
                .set(Metric.ALLOCATOR_FRAG_RATIO, 1.8).set(Metric.ALLOCATOR_FRAG_BYTES, 800 * MB);
        CheckResult result = check("fragmentation-high", allocator.context());
        assertThat(result.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(result.evidence()).contains("allocator fragmentation: allocator_frag_ratio 1.80 (800 MB")
                .doesNotContain("RSS overhead").doesNotContain("past peak");
        assertThat(result.remedy()).contains("CONFIG SET activedefrag yes");

        Samples overhead = healthy().set(Metric.USED_MEMORY_RSS, 2 * GB).set(Metric.MEM_FRAGMENTATION_RATIO, 2.0)
                .set(Metric.RSS_OVERHEAD_RATIO, 1.9).set(Metric.RSS_OVERHEAD_BYTES, 900 * MB)
                .set(Metric.USED_MEMORY_PEAK, 3 * GB);
        CheckResult other = check("fragmentation-high", overhead.context());
        assertThat(other.evidence()).contains("RSS overhead outside the allocator").contains("a past peak")
                .doesNotContain("allocator fragmentation");
        assertThat(other.remedy()).doesNotContain("activedefrag yes");

        // a small cache: the ratio is high from the process' fixed RSS, not from allocator waste
        Samples fixedRss = healthy().set(Metric.USED_MEMORY, 35 * MB).set(Metric.USED_MEMORY_RSS, 53 * MB)
                .set(Metric.USED_MEMORY_PEAK, 40 * MB).set(Metric.MEM_FRAGMENTATION_RATIO, 1.51)
                .set(Metric.ALLOCATOR_FRAG_RATIO, 1.14).set(Metric.ALLOCATOR_FRAG_BYTES, 5 * MB)
                .set(Metric.ALLOCATOR_RSS_RATIO, 1.11).set(Metric.ALLOCATOR_RSS_BYTES, 4 * MB)
                .set(Metric.RSS_OVERHEAD_RATIO, 1.17).set(Metric.RSS_OVERHEAD_BYTES, 8 * MB);
        CheckResult small = check("fragmentation-high", fixedRss.context());
        assertThat(small.severity()).isEqualTo(CheckSeverity.INFO);
        assertThat(small.evidence()).contains("no single part is large");
        assertThat(check("activedefrag-off", fixedRss.context()).severity()).isEqualTo(CheckSeverity.INFO);

        // 1.6 but only 6 MB at stake: not worth a warning (MEMORY DOCTOR's 10 MB)
        Samples tiny = healthy().set(Metric.USED_MEMORY, 10 * MB).set(Metric.USED_MEMORY_RSS, 16 * MB)
                .set(Metric.MEM_FRAGMENTATION_RATIO, 1.6).set(Metric.USED_MEMORY_PEAK, 10 * MB);
        assertThat(check("fragmentation-high", tiny.context()).severity()).isEqualTo(CheckSeverity.OK);
    }

    @Test
    void ratioBelowOneAdvisesCheckingSwap() {
        CheckResult result = check("fragmentation-below-one", healthy().set(Metric.USED_MEMORY_RSS, 800 * MB)
                .set(Metric.MEM_FRAGMENTATION_RATIO, 0.78).context());
        assertThat(result.severity()).isEqualTo(CheckSeverity.INFO);
        assertThat(result.remedy()).contains("VmSwap").contains("vmstat");
    }

    @Test
    void activedefragIsSuggestedWithThresholdsThatWouldStartIt() {
        Samples fragmented = healthy().set(Metric.USED_MEMORY, 100 * MB).set(Metric.USED_MEMORY_RSS, 200 * MB)
                .set(Metric.USED_MEMORY_PEAK, 120 * MB).set(Metric.MEM_FRAGMENTATION_RATIO, 2.0)
                .set(Metric.ALLOCATOR_FRAG_RATIO, 1.7).set(Metric.ALLOCATOR_FRAG_BYTES, 60 * MB);
        CheckResult result = check("activedefrag-off", fragmented.context());
        assertThat(result.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(result.evidence()).contains("activedefrag no").contains("under the default ignore-bytes");
        assertThat(result.remedy()).contains("CONFIG SET activedefrag yes")
                .contains("CONFIG SET active-defrag-ignore-bytes 30mb").contains("active-defrag-threshold-lower 10");

        CheckContext refused = new CheckContext(fragmented.snapshot(),
                RedisSettings.unavailable("Redis refused CONFIG GET (ERR unknown command 'CONFIG')"), HistoryFacts.NONE,
                Optional.empty(), NOW);
        CheckResult unknown = check("activedefrag-off", refused);
        assertThat(unknown.severity()).isEqualTo(CheckSeverity.UNKNOWN);
        assertThat(unknown.evidence()).contains("CONFIG GET activedefrag").contains("unknown command");

        CheckContext on = new CheckContext(fragmented.snapshot(), RedisSettings.of(Map.of("activedefrag", "yes")),
                HistoryFacts.NONE, Optional.empty(), NOW);
        assertThat(check("activedefrag-off", on).severity()).isEqualTo(CheckSeverity.OK);
        assertThat(check("activedefrag-off", healthy().context()).severity()).isEqualTo(CheckSeverity.OK);
    }

    @Test
    void anotherAllocatorCannotDefragment() {
        CheckResult libc = check("activedefrag-unsupported", healthy().set(Metric.MEM_ALLOCATOR, "libc").context());
        assertThat(libc.severity()).isEqualTo(CheckSeverity.INFO);
        assertThat(libc.evidence()).contains("mem_allocator libc");
        assertThat(check("activedefrag-off", healthy().set(Metric.MEM_ALLOCATOR, "libc").context()).severity())
                .isEqualTo(CheckSeverity.OK);
        assertThat(check("activedefrag-unsupported", healthy().context()).severity()).isEqualTo(CheckSeverity.OK);
    }

    @Test
    void aPastPeakIsExplained() {
        CheckResult result = check("memory-peak", healthy().set(Metric.USED_MEMORY_PEAK, 3 * GB).context());
        assertThat(result.severity()).isEqualTo(CheckSeverity.INFO);
        assertThat(result.title()).contains("3.00x");
        assertThat(result.remedy()).contains("MEMORY PURGE");
    }

    @Test
    void memoryDoctorThresholdsForBuffersAndScripts() {
        assertThat(check("client-buffers", healthy().set(Metric.MEM_CLIENTS_NORMAL, 10L * 250 * 1024).context())
                .severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(check("client-buffers", healthy().context()).severity()).isEqualTo(CheckSeverity.OK);
        // with CLIENT LIST, the class of the client holding the buffer decides which limit to suggest
        Samples buffered = healthy().set(Metric.MEM_CLIENTS_NORMAL, 100 * MB);
        CheckContext base = buffered.context();
        CheckResult subscriber = check("client-buffers", new CheckContext(base.latest(), base.settings(), base.history(),
                base.scan(), base.now(), io.memdoctor.instances.ClientList.parse("id=7 addr=10.0.0.9:5 name=feed flags=P"
                        + " sub=1 omem=94371840 tot-mem=94400000 cmd=subscribe\nid=8 addr=10.0.0.10:6 name= flags=N"
                        + " sub=0 omem=0 tot-mem=20000 cmd=get\n")));
        assertThat(subscriber.title()).contains("pubsub client");
        assertThat(subscriber.evidence()).contains("id=7 name=feed addr=10.0.0.9:5, class pubsub (flags=P), omem 90.0 MB")
                .contains("not by the 'normal' one");
        assertThat(subscriber.remedy()).contains("CLIENT KILL ID 7").contains("\"pubsub 32mb 8mb 60\"")
                .doesNotContain("normal 256mb");
        CheckResult unnamed = check("client-buffers", new CheckContext(base.latest(), base.settings(), base.history(),
                base.scan(), base.now(), io.memdoctor.instances.ClientList.unavailable("Redis refused CLIENT LIST")));
        assertThat(unnamed.evidence()).contains("Clients not named: Redis refused CLIENT LIST");
        assertThat(check("replica-buffers", healthy().set(Metric.MEM_CLIENTS_SLAVES, 11 * MB).context()).severity())
                .isEqualTo(CheckSeverity.WARNING);
        assertThat(check("replica-buffers", healthy().set(Metric.MEM_CLIENTS_SLAVES, 10 * MB).context()).severity())
                .isEqualTo(CheckSeverity.OK);
        CheckResult scripts = check("cached-scripts", healthy().set(Metric.NUMBER_OF_CACHED_SCRIPTS, 1001L).context());
        assertThat(scripts.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(scripts.remedy()).contains("SCRIPT FLUSH");
        assertThat(check("cached-scripts", healthy().without(Metric.NUMBER_OF_CACHED_SCRIPTS).context()).severity())
                .isEqualTo(CheckSeverity.UNKNOWN);
    }

    @Test
    void bigKeysWaitForAScan() {
        CheckResult none = check("big-keys", healthy().context());
        assertThat(none.severity()).isEqualTo(CheckSeverity.UNKNOWN);
        assertThat(none.title()).isEqualTo("No scan yet: run one");
        var scan = new LatestScanSummary.ScanFindings(NOW, 1000, List.of(
                new LatestScanSummary.BigKey("user:1001:feed", "user:1001:feed", "list", 84 * MB, 859_387)), List.of());
        CheckResult found = check("big-keys", new CheckContext(healthy().snapshot(), Samples.defaultSettings(),
                HistoryFacts.NONE, Optional.of(scan), NOW));
        assertThat(found.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(found.evidence()).contains("user:1001:feed (list, 84.0 MB, 859,387 items)");
        assertThat(found.remedy()).contains("redis-cli MEMORY USAGE 'user:1001:feed'").contains("LTRIM");
    }

    @Test
    void memoryTrendSaysWhenTheLimitIsReached() {
        // no maxmemory: 1 GB now, +1 MB/s for an hour, 16 GB host -> about 3.6 h left
        List<Snapshot> climb = Samples.growing(1 * GB - 3600 * MB, 1 * MB, Duration.ofHours(1));
        HistoryFacts facts = HistoryFacts.of(Duration.ofHours(24), climb, climb);
        CheckResult result = check("memory-trend", healthy().set(Metric.MAXMEMORY, 0L)
                .set(Metric.MAXMEMORY_POLICY, "noeviction").context(facts));
        assertThat(result.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(result.title()).contains("host memory within 4 h");
        assertThat(result.evidence()).contains("3.5 GB/h").contains("2026-03-01 16:");

        // maxmemory 1.5 GB under noeviction: within the hour -> critical
        CheckResult soon = check("memory-trend", healthy().set(Metric.MAXMEMORY, 1536 * MB)
                .set(Metric.MAXMEMORY_POLICY, "noeviction").context(facts));
        assertThat(soon.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(soon.evidence()).contains("writes fail with OOM");

        // the same with an evicting policy is what a cache is for
        assertThat(check("memory-trend", healthy().set(Metric.MAXMEMORY, 1536 * MB).context(facts)).severity())
                .isEqualTo(CheckSeverity.INFO);

        List<Snapshot> flat = Samples.growing(1 * GB, 0, Duration.ofHours(1));
        assertThat(check("memory-trend", healthy().context(HistoryFacts.of(Duration.ofHours(24), flat, flat))).severity())
                .isEqualTo(CheckSeverity.OK);
        assertThat(check("memory-trend", healthy().context()).severity()).isEqualTo(CheckSeverity.UNKNOWN);
    }

    @Test
    void maxmemoryAboveTheDeclaredLimitIsCriticalAndSaysWhatToSetInstead() {
        // maxmemory 4 GB in a 2 GB container: the OOM killer comes before eviction
        CheckResult above = check("maxmemory-above-limit", healthy().limited(2 * GB));
        assertThat(above.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(above.title()).contains("above the memory limit");
        assertThat(above.evidence()).contains("maxmemory 4.0 GB (4294967296 bytes)")
                .contains("memory limit (declared) 2.0 GB (2147483648 bytes)").contains("200%");
        // 75 % of the limit, persisted
        assertThat(above.remedy()).startsWith("CONFIG SET maxmemory 1536mb").contains("CONFIG REWRITE")
                .contains("redis.conf: maxmemory 1536mb").contains("copy-on-write");

        assertThat(check("maxmemory-above-limit", healthy().limited(8 * GB)).severity()).isEqualTo(CheckSeverity.OK);
        assertThat(check("maxmemory-above-limit", healthy().set(Metric.MAXMEMORY, 0L).limited(8 * GB)).severity())
                .isEqualTo(CheckSeverity.INFO);
        CheckResult undeclared = check("maxmemory-above-limit", healthy().context());
        assertThat(undeclared.severity()).isEqualTo(CheckSeverity.OK);
        assertThat(undeclared.evidence()).contains("memdoctor.instances[N].memory-limit");
    }

    @Test
    void maxmemoryUnsetSizesFromTheDeclaredLimit() {
        CheckResult result = check("maxmemory-unset", healthy().set(Metric.MAXMEMORY, 0L).limited(2 * GB));
        assertThat(result.severity()).isEqualTo(CheckSeverity.WARNING);
        assertThat(result.evidence()).contains("used_memory 1.0 GB of 2.0 GB memory limit (declared) (50%)");
        assertThat(result.remedy()).contains("CONFIG SET maxmemory 1536mb").contains("75% of the 2.0 GB memory limit");

        CheckResult nearKill = check("maxmemory-unset", healthy().set(Metric.MAXMEMORY, 0L)
                .set(Metric.USED_MEMORY, 1900 * MB).limited(2 * GB));
        assertThat(nearKill.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(nearKill.title()).contains("OOM killer");

        // without a declared limit the host is all there is, and the text says how to declare the container's
        CheckResult host = check("maxmemory-unset", healthy().set(Metric.MAXMEMORY, 0L).context());
        assertThat(host.evidence()).contains("16.0 GB host memory (total_system_memory)");
        assertThat(host.remedy()).contains("in a container").contains("memdoctor.instances[N].memory-limit");
    }

    @Test
    void headroomIsWeighedAgainstTheDeclaredLimitWhichCountsTheForkToo() {
        Samples cache = healthy().set(Metric.MAXMEMORY, 1536 * MB);
        CheckResult limited = check("maxmemory-headroom", cache.limited(2 * GB, cow(512 * MB)));
        assertThat(limited.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(limited.title()).contains("exceeds the memory limit");
        assertThat(limited.evidence()).contains("of 2.0 GB memory limit (declared)");
        assertThat(check("maxmemory-headroom", cache.context(cow(512 * MB))).severity()).isEqualTo(CheckSeverity.OK);
    }

    @Test
    void memoryTrendProjectsToTheDeclaredLimit() {
        List<Snapshot> climb = Samples.growing(1 * GB - 3600 * MB, 1 * MB, Duration.ofHours(1));
        HistoryFacts facts = HistoryFacts.of(Duration.ofHours(24), climb, climb);
        // 1 GB now, +1 MB/s, 1.5 GB container: under 10 minutes, and the container kills, nothing evicts
        CheckResult result = check("memory-trend", healthy().set(Metric.MAXMEMORY, 0L).limited(1536 * MB, facts));
        assertThat(result.severity()).isEqualTo(CheckSeverity.CRITICAL);
        assertThat(result.title()).startsWith("Memory reaches memory limit within");
        assertThat(result.evidence()).contains("memory limit 1.5 GB").contains("container's OOM killer");
    }
}
