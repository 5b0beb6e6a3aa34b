package io.memdoctor.scans.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.memdoctor.redis.resp.RespConnection;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.support.BigKeysReport;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine against a real redis-server, with {@code redis-cli --bigkeys} and {@code --memkeys} run on the same
 * data as the oracle: per type, the key count, the element and byte totals and the biggest key must be equal.
 */
class KeyspaceScannerTests {

    private static RedisServer server;
    private static long loaded;

    @BeforeAll
    static void load() {
        server = RedisServer.start();
        loaded = ScanDataset.load(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void typesCountsElementsAndBiggestKeysMatchRedisCliBigkeys() {
        Run run = scan(server, ScanParameters.defaults());
        BigKeysReport bigkeys = BigKeysReport.parse(server.cli("--bigkeys"));

        assertThat(run.outcome.status()).isEqualTo(ScanStatus.DONE);
        assertThat(run.results.keys()).isEqualTo(loaded).isEqualTo(bigkeys.sampled());
        assertElementsMatch(run.results, bigkeys);
    }

    @Test
    void bytesPerTypeAndBiggestByBytesMatchRedisCliMemkeys() {
        ScanResults results = scan(server, ScanParameters.defaults()).results;
        BigKeysReport memkeys = BigKeysReport.parse(server.cli("--memkeys"));

        assertBytesMatch(results, memkeys);
        assertThat(results.bytes()).isEqualTo(memkeys.totals().values().stream()
                .mapToLong(BigKeysReport.Totals::size).sum());
    }

    @Test
    void bytesMatchMemoryUsageWithTheSameSamples() {
        ScanParameters exactish = ScanParameters.of(null, null, null, 50, 20, null, null);
        ScanResults results = scan(server, exactish).results;
        BigKeysReport memkeys = BigKeysReport.parse(server.cli("--memkeys", "--memkeys-samples", "50"));

        assertBytesMatch(results, memkeys);
        // escaped names (binary bytes) cannot go through a command line as they are
        List<ScanResults.KeyEntry> plain = results.topKeys().stream().filter(k -> !k.key().contains("\\")).toList();
        assertThat(plain).hasSizeGreaterThan(15);
        for (ScanResults.KeyEntry top : plain) {
            String usage = server.cli("MEMORY", "USAGE", top.key(), "SAMPLES", "50").strip();
            assertThat(top.bytes()).as(top.key()).isEqualTo(Long.parseLong(usage));
        }
    }

    @Test
    void biggestKeysComeFirstWithTypeElementsAndTtl() {
        List<ScanResults.KeyEntry> top = scan(server, ScanParameters.defaults()).results.topKeys();

        assertThat(top).hasSize(100);
        assertThat(top).extracting(ScanResults.KeyEntry::bytes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(top.stream().map(ScanResults.KeyEntry::key).limit(6)).containsExactlyInAnyOrder("queue:events",
                "set:big", "zset:big", "hash:big", "stream:big", "blob:huge");
        ScanResults.KeyEntry list = top.stream().filter(k -> k.key().equals("queue:events")).findFirst().orElseThrow();
        assertThat(list.type()).isEqualTo("list");
        assertThat(list.elements()).isEqualTo(ScanDataset.BIG_LIST);
        assertThat(list.ttlSeconds()).isEqualTo(-1);
    }

    @Test
    void binaryAndHostileKeyNamesAreEscapedLikeRedisCli() {
        ScanParameters all = ScanParameters.of(null, null, null, null, 10_000, null, null);
        List<String> names = scan(server, all).results.topKeys().stream().map(ScanResults.KeyEntry::key).toList();

        assertThat(names).contains(ScanDataset.BINARY_KEY_ESCAPED, ScanDataset.HTML_KEY,
                ScanDataset.QUOTE_KEY_ESCAPED);
        BigKeysReport cli = BigKeysReport.parse(server.cli("--memkeys", "--pattern", "bin*"));
        assertThat(cli.biggest().get("string").key()).isEqualTo('"' + ScanDataset.BINARY_KEY_ESCAPED + '"');
    }

    @Test
    void patternsCollapseIdsAndAddUpToEveryKey() {
        ScanResults results = scan(server, ScanParameters.defaults()).results;
        Map<String, ScanResults.PatternEntry> patterns = results.patterns().stream()
                .collect(Collectors.toMap(ScanResults.PatternEntry::pattern, p -> p));

        assertThat(patterns.get("user:*:feed").keys()).isEqualTo(ScanDataset.USERS);
        assertThat(patterns.get("user:*:feed").keysWithTtl()).isEqualTo(ScanDataset.USERS / 2);
        assertThat(patterns.get("user:*:profile").keys()).isEqualTo(ScanDataset.USERS);
        assertThat(patterns.get("session:*").keys()).isEqualTo(1000);
        assertThat(patterns.get("cache:page:*").keys()).isEqualTo(1000);
        assertThat(patterns.get("leaderboard:*").keys()).isEqualTo(1000);
        assertThat(results.patterns().stream().mapToLong(ScanResults.PatternEntry::keys).sum())
                .isEqualTo(results.keys());
        assertThat(results.patterns().stream().mapToLong(ScanResults.PatternEntry::bytes).sum())
                .isEqualTo(results.bytes());
        assertThat(results.patterns().stream().mapToDouble(ScanResults.PatternEntry::share).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void ttlHistogramCountsEveryKeyOnce() {
        ScanResults results = scan(server, ScanParameters.defaults()).results;
        Map<String, Long> keys = results.ttl().stream()
                .collect(Collectors.toMap(ScanResults.TtlBucket::bucket, ScanResults.TtlBucket::keys));

        assertThat(keys.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(results.keys());
        assertThat(results.keysWithTtl()).isEqualTo(results.keys() - keys.get("none"));
        // sessions (30 min) and a quarter of the users' expiring keys are under an hour
        assertThat(keys.get("lt1h")).isEqualTo(1000 + ScanDataset.USERS / 2 / 4 * 2);
        // cached pages (2 days) and another quarter are between a day and a week
        assertThat(keys.get("1d-7d")).isEqualTo(1000 + ScanDataset.USERS / 2 / 4 * 2);
        assertThat(keys.get("1h-24h")).isEqualTo(ScanDataset.USERS / 2 / 4 * 2);
        assertThat(keys.get("gt7d")).isEqualTo(ScanDataset.USERS / 2 / 4 * 2);
    }

    @Test
    void matchScansOnlyMatchingKeysLikeRedisCliPattern() {
        ScanResults results = scan(server, ScanParameters.of("user:*", null, null, null, null, null, null)).results;
        BigKeysReport bigkeys = BigKeysReport.parse(server.cli("--bigkeys", "--pattern", "user:*"));

        assertThat(results.keys()).isEqualTo(3L * ScanDataset.USERS).isEqualTo(bigkeys.sampled());
        assertElementsMatch(results, bigkeys);
    }

    @Test
    void typeFilterScansOneTypeWithTheSameFiguresAsAFullScan() {
        ScanResults all = scan(server, ScanParameters.defaults()).results;
        ScanResults hashes = scan(server, ScanParameters.of(null, "hash", null, null, null, null, null)).results;

        assertThat(hashes.byType()).containsOnlyKeys("hash");
        assertThat(hashes.byType().get("hash")).isEqualTo(all.byType().get("hash"));
        assertThat(hashes.biggestByType().get("hash")).isEqualTo(all.biggestByType().get("hash"));
    }

    @Test
    void smallScanCountAndOneBatchInFlightGiveTheSameResults() {
        ScanResults fast = scan(server, ScanParameters.defaults()).results;
        ScanParameters small = ScanParameters.of(null, null, 7, null, null, null, null);
        ScanResults slow = scan(server, small, 1).results;

        assertThat(slow.byType()).isEqualTo(fast.byType());
        // TTLs tick between the two scans: compare the rest
        assertThat(slow.topKeys()).extracting(ScanResults.KeyEntry::key, ScanResults.KeyEntry::bytes)
                .isEqualTo(fast.topKeys().stream()
                        .map(k -> org.assertj.core.groups.Tuple.tuple(k.key(), k.bytes())).toList());
    }

    @Test
    void cancelKeepsWhatWasMeasured() {
        AtomicBoolean stop = new AtomicBoolean();
        ScanParameters small = ScanParameters.of(null, null, 100, null, null, null, null);
        Run run;
        try (RespConnection connection = open(server)) {
            ScanAccumulator accumulator = new ScanAccumulator(small, 1000);
            KeyspaceScanner scanner = new KeyspaceScanner(connection, small, accumulator,
                    new ScanProgress(false), Duration.ofSeconds(10), 2);
            scanner.beforeMeasuring(keys -> {
                if (accumulator.keys() >= 1000) {
                    stop.set(true);
                }
            });
            run = new Run(scanner.run(stop::get), accumulator.results());
        }

        assertThat(run.outcome.status()).isEqualTo(ScanStatus.CANCELLED);
        assertThat(run.results.keys()).isBetween(1000L, 3000L);
        assertThat(run.results.byType().values().stream().mapToLong(ScanResults.TypeTotals::keys).sum())
                .isEqualTo(run.results.keys());
    }

    @Test
    void throttleHoldsTheRate() {
        ScanParameters limited = ScanParameters.of("user:*:name", null, null, null, null, 1000, null);
        long start = System.nanoTime();
        Run run = scan(server, limited);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(run.results.keys()).isEqualTo(ScanDataset.USERS);
        // 2000 keys at 1000 keys/s: the first batch leaves at once, the last after about 2 s
        assertThat(seconds).isGreaterThan(1.8);
        assertThat(run.results.keys() / seconds).isLessThan(1100);
    }

    @Test
    void progressReachesTheEnd() {
        ScanProgress progress = new ScanProgress(false);
        ScanParameters parameters = ScanParameters.defaults();
        try (RespConnection connection = open(server)) {
            new KeyspaceScanner(connection, parameters, new ScanAccumulator(parameters, 1000), progress,
                    Duration.ofSeconds(10), 4).run(() -> false);
        }
        ScanProgress.Reading reading = progress.reading();

        assertThat(reading.keysTotal()).isEqualTo(loaded);
        assertThat(reading.keysScanned()).isEqualTo(loaded);
        assertThat(reading.fraction()).isEqualTo(1.0);
        assertThat(reading.etaSeconds()).isZero();
        assertThat(reading.keysPerSecond()).isPositive();
    }

    static void assertElementsMatch(ScanResults results, BigKeysReport bigkeys) {
        for (Map.Entry<String, BigKeysReport.Totals> type : bigkeys.totals().entrySet()) {
            ScanResults.TypeTotals ours = results.byType().get(type.getKey());
            if (type.getValue().keys() == 0) {
                assertThat(ours).as(type.getKey()).isNull();
                continue;
            }
            assertThat(ours.keys()).as(type.getKey() + " keys").isEqualTo(type.getValue().keys());
            assertThat(ours.elements()).as(type.getKey() + " elements").isEqualTo(type.getValue().size());
        }
        for (Map.Entry<String, BigKeysReport.Biggest> type : bigkeys.biggest().entrySet()) {
            ScanResults.KeyEntry ours = results.biggestByType().get(type.getKey()).mostElements();
            assertThat('"' + ours.key() + '"').as(type.getKey()).isEqualTo(type.getValue().key());
            assertThat(ours.elements()).as(type.getKey()).isEqualTo(type.getValue().size());
        }
        assertThat(results.byType().keySet()).isEqualTo(bigkeys.biggest().keySet());
    }

    static void assertBytesMatch(ScanResults results, BigKeysReport memkeys) {
        for (Map.Entry<String, BigKeysReport.Totals> type : memkeys.totals().entrySet()) {
            if (type.getValue().keys() == 0) {
                continue;
            }
            ScanResults.TypeTotals ours = results.byType().get(type.getKey());
            assertThat(ours.keys()).as(type.getKey() + " keys").isEqualTo(type.getValue().keys());
            assertThat(ours.bytes()).as(type.getKey() + " bytes").isEqualTo(type.getValue().size());
        }
        for (Map.Entry<String, BigKeysReport.Biggest> type : memkeys.biggest().entrySet()) {
            ScanResults.KeyEntry ours = results.biggestByType().get(type.getKey()).mostBytes();
            assertThat('"' + ours.key() + '"').as(type.getKey()).isEqualTo(type.getValue().key());
            assertThat(ours.bytes()).as(type.getKey()).isEqualTo(type.getValue().size());
        }
    }

    record Run(ScanOutcome outcome, ScanResults results) {
    }

    /** The scan engine's own connection to a test server. */
    static RespConnection open(RedisServer server) {
        try {
            return RespConnection.open(RedisUrl.of(server.url()), null, Duration.ofSeconds(10));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Run scan(RedisServer server, ScanParameters parameters) {
        return scan(server, parameters, 4);
    }

    static Run scan(RedisServer server, ScanParameters parameters, int batchesInFlight) {
        return scan(server, parameters, batchesInFlight, () -> false);
    }

    static Run scan(RedisServer server, ScanParameters parameters, int batchesInFlight, BooleanSupplier stop) {
        try (RespConnection connection = open(server)) {
            ScanAccumulator accumulator = new ScanAccumulator(parameters, 1000);
            ScanOutcome outcome = new KeyspaceScanner(connection, parameters, accumulator,
                    new ScanProgress(parameters.filtered()), Duration.ofSeconds(10), batchesInFlight).run(stop);
            return new Run(outcome, accumulator.results());
        }
    }
}
