package io.memdoctor.scans.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.memdoctor.redis.resp.RespConnection;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.support.BigKeysReport;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine when the keyspace moves under it or Redis goes away: keys deleted, expired or replaced mid-scan,
 * MEMORY refused, a killed and a paused server.
 */
class KeyspaceScannerRobustnessTests {

    @Test
    void keysDeletedExpiredOrReplacedBetweenScanAndMeasureAreCountedOnceOrSkipped() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            try (RedisPipe pipe = RedisPipe.to(server)) {
                for (int i = 0; i < 2000; i++) {
                    pipe.command("SET", "v:" + i, "value-" + i);
                }
                for (int i = 0; i < 500; i++) {
                    pipe.command("RPUSH", "l:" + i, "a", "b", "c");
                    pipe.command("HSET", "h:" + i, "f", "v");
                }
            }
            RedisClient client = RedisClient.create(RedisURI.create(server.url()));
            try (StatefulRedisConnection<byte[], byte[]> side = client.connect(ByteArrayCodec.INSTANCE)) {
                RedisCommands<byte[], byte[]> redis = side.sync();
                AtomicInteger pages = new AtomicInteger();
                int[] changed = new int[3];
                ScanParameters parameters = ScanParameters.of(null, null, 200, null, null, null, null);
                KeyspaceScannerTests.Run run = scanWithHook(server, parameters, keys -> {
                    // the third page: by now the patterns have type guesses, so replaced keys hit WRONGTYPE
                    if (pages.incrementAndGet() != 3) {
                        return;
                    }
                    int i = 0;
                    for (byte[] key : keys) {
                        if (i < 20) {
                            changed[0] += redis.del(key).intValue();
                        }
                        else if (i < 30) {
                            // distinct sizes, so "the biggest set" has one answer
                            redis.del(key);
                            for (int m = 0; m <= changed[1]; m++) {
                                redis.sadd(key, ("member-" + m).getBytes(StandardCharsets.UTF_8));
                            }
                            changed[1]++;
                        }
                        else if (i < 40) {
                            changed[2] += redis.pexpire(key, 1) ? 1 : 0;
                        }
                        i++;
                    }
                    sleep(10);
                });

                assertThat(run.outcome().status()).isEqualTo(ScanStatus.DONE);
                assertThat(changed).containsExactly(20, 10, 10);
                ScanResults results = run.results();
                assertThat(results.keysVanished()).isEqualTo(30);
                assertThat(results.keys()).isEqualTo(3000 - 30);
                assertThat(results.byType().get("set").keys()).isEqualTo(10);
                assertThat(results.byType().get("set").elements()).isEqualTo(55);
                // the scan's view is the keyspace as it is now, which redis-cli sees as well
                KeyspaceScannerTests.assertElementsMatch(results, BigKeysReport.parse(server.cli("--bigkeys")));
            }
            client.shutdown();
        }
    }

    @Test
    void keysExpiringThroughoutTheScanNeverFailIt() {
        try (RedisServer server = RedisServer.start()) {
            Random random = new Random(1);
            try (RedisPipe pipe = RedisPipe.to(server)) {
                for (int i = 0; i < 3000; i++) {
                    pipe.command("SET", "short:" + i, "x", "PX", Integer.toString(1 + random.nextInt(1500)));
                    pipe.command("RPUSH", "shortlist:" + i, "x", "y");
                    pipe.command("PEXPIRE", "shortlist:" + i, Integer.toString(1 + random.nextInt(1500)));
                }
                for (int i = 0; i < 2000; i++) {
                    pipe.command("SET", "stable:" + i, "x");
                }
            }
            ScanParameters slow = ScanParameters.of(null, null, null, null, null, 4000, null);
            KeyspaceScannerTests.Run run = KeyspaceScannerTests.scan(server, slow);

            assertThat(run.outcome().status()).isEqualTo(ScanStatus.DONE);
            Map<String, Long> patterns = run.results().patterns().stream()
                    .collect(Collectors.toMap(ScanResults.PatternEntry::pattern, ScanResults.PatternEntry::keys));
            assertThat(patterns.get("stable:*")).isEqualTo(2000);
            assertThat(run.results().keys()).isBetween(2000L, 8000L);
            assertThat(run.results().keysUnreadable()).isZero();
        }
    }

    @Test
    void withoutMemoryUsageTheScanCompletesWithElementCountsAndSaysSo() {
        try (RedisServer server = RedisServer.start("--rename-command", "MEMORY", "")) {
            try (RedisPipe pipe = RedisPipe.to(server)) {
                for (int i = 0; i < 500; i++) {
                    pipe.command("SET", "s:" + i, "v".repeat(i % 5));
                    pipe.command("RPUSH", "l:" + i, "a", "b");
                    pipe.command("ZADD", "z:" + i, "1", "a");
                }
                pipe.command("RPUSH", "l:big", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
            }
            assertThat(server.cli("MEMORY", "USAGE", "l:big")).contains("unknown command");
            KeyspaceScannerTests.Run run = KeyspaceScannerTests.scan(server, ScanParameters.defaults());

            assertThat(run.outcome().status()).isEqualTo(ScanStatus.DONE);
            ScanResults results = run.results();
            assertThat(results.memoryUsageAvailable()).isFalse();
            assertThat(results.note()).contains("MEMORY USAGE was refused").contains("element counts");
            assertThat(results.bytes()).isNull();
            assertThat(results.byType().values()).allSatisfy(t -> assertThat(t.bytes()).isNull());
            assertThat(results.topKeys().get(0).key()).isEqualTo("l:big");
            assertThat(results.topKeys().get(0).bytes()).isNull();
            KeyspaceScannerTests.assertElementsMatch(results, BigKeysReport.parse(server.cli("--bigkeys")));
        }
    }

    @Test
    void keysAnAclUserMayNotReadAreCountedUnreadableAndMemoryRefusedPerKeyKeepsTheOtherFigures() throws IOException {
        try (RedisServer server = RedisServer.start()) {
            try (RedisPipe pipe = RedisPipe.to(server)) {
                for (int i = 0; i < 100; i++) {
                    pipe.command("SET", "public:" + i, "value");
                }
                for (int i = 0; i < 50; i++) {
                    pipe.command("RPUSH", "secret:" + i, "a", "b", "c");
                }
            }
            // MEMORY only on public keys (and the probe), everything else on every key
            server.cli("ACL", "SETUSER", "nomemory", "on", ">pw-1", "~*", "+@all", "-memory",
                    "(~public:* ~memdoctor:* +memory)");
            // no access at all to the secret keys
            server.cli("ACL", "SETUSER", "public", "on", ">pw-2", "+@all", "~public:*", "~memdoctor:*");

            ScanResults partlyMeasured = scanAs(server, "nomemory:pw-1");
            assertThat(partlyMeasured.keys()).isEqualTo(150);
            assertThat(partlyMeasured.keysUnreadable()).isZero();
            assertThat(partlyMeasured.byType().get("list").keys()).isEqualTo(50);
            assertThat(partlyMeasured.byType().get("list").elements()).isEqualTo(150);
            assertThat(partlyMeasured.byType().get("list").bytes()).isZero();
            assertThat(partlyMeasured.byType().get("string").bytes()).isPositive();

            ScanResults publicOnly = scanAs(server, "public:pw-2");
            assertThat(publicOnly.keys()).isEqualTo(100);
            assertThat(publicOnly.keysUnreadable()).isEqualTo(50);
            assertThat(publicOnly.byType()).containsOnlyKeys("string");
        }
    }

    private static ScanResults scanAs(RedisServer server, String credentials) throws IOException {
        RedisUrl url = RedisUrl.of("redis://" + credentials + "@127.0.0.1:" + server.port());
        try (RespConnection connection = RespConnection.open(url, null, Duration.ofSeconds(10))) {
            ScanAccumulator accumulator = new ScanAccumulator(ScanParameters.defaults(), 1000);
            ScanOutcome outcome = new KeyspaceScanner(connection, ScanParameters.defaults(), accumulator,
                    new ScanProgress(false), Duration.ofSeconds(10), 4).run(() -> false);
            assertThat(outcome.status()).isEqualTo(ScanStatus.DONE);
            return accumulator.results();
        }
    }

    @Test
    void aRedisKilledMidScanFailsTheScanAndKeepsWhatWasMeasured() {
        RedisServer server = RedisServer.start();
        try {
            load(server, 20_000);
            ScanParameters parameters = ScanParameters.of(null, null, 100, null, null, null, null);
            AtomicInteger pages = new AtomicInteger();
            KeyspaceScannerTests.Run run = scanWithHook(server, parameters, keys -> {
                if (pages.incrementAndGet() == 30) {
                    server.kill();
                }
            });

            assertThat(run.outcome().status()).isEqualTo(ScanStatus.FAILED);
            assertThat(run.outcome().error()).isNotBlank();
            assertThat(run.results().keys()).isBetween(2000L, 19_999L);
        }
        finally {
            server.close();
        }
    }

    @Test
    void aPausedRedisFailsTheScanAfterTheTimeout() {
        try (RedisServer server = RedisServer.start()) {
            load(server, 5000);
            AtomicInteger pages = new AtomicInteger();
            long start = System.nanoTime();
            KeyspaceScannerTests.Run run;
            try (RespConnection connection = KeyspaceScannerTests.open(server)) {
                ScanParameters parameters = ScanParameters.of(null, null, 100, null, null, null, null);
                ScanAccumulator accumulator = new ScanAccumulator(parameters, 1000);
                KeyspaceScanner scanner = new KeyspaceScanner(connection, parameters, accumulator,
                        new ScanProgress(false), Duration.ofSeconds(1), 2);
                scanner.beforeMeasuring(keys -> {
                    if (pages.incrementAndGet() == 10) {
                        server.pause();
                    }
                });
                run = new KeyspaceScannerTests.Run(scanner.run(() -> false), accumulator.results());
            }
            finally {
                server.resume();
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(run.outcome().status()).isEqualTo(ScanStatus.FAILED);
            assertThat(run.outcome().error()).contains("did not answer within 1 s");
            assertThat(seconds).isBetween(0.9, 10.0);
            assertThat(run.results().keys()).isPositive();
        }
    }

    private static void load(RedisServer server, int keys) {
        try (RedisPipe pipe = RedisPipe.to(server)) {
            for (int i = 0; i < keys; i++) {
                pipe.command("SET", "k:" + i, "v");
            }
        }
    }

    private static KeyspaceScannerTests.Run scanWithHook(RedisServer server, ScanParameters parameters,
            java.util.function.Consumer<List<byte[]>> hook) {
        try (RespConnection connection = KeyspaceScannerTests.open(server)) {
            ScanAccumulator accumulator = new ScanAccumulator(parameters, 1000);
            KeyspaceScanner scanner = new KeyspaceScanner(connection, parameters, accumulator,
                    new ScanProgress(false), Duration.ofSeconds(10), 4);
            scanner.beforeMeasuring(hook);
            return new KeyspaceScannerTests.Run(scanner.run(() -> false), accumulator.results());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
