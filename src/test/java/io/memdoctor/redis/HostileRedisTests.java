package io.memdoctor.redis;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.redis.resp.RespConnection;
import io.memdoctor.scans.engine.KeyspaceScanner;
import io.memdoctor.scans.engine.ScanAccumulator;
import io.memdoctor.scans.engine.ScanOutcome;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.support.HostileRedis;
import io.memdoctor.support.HostileRedis.Behaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Hostile or broken servers, through the gateway's two clients: every sample and every scan fails with a clear
 * reason, within its timeout, and without the heap growing by what the server announced or sent.
 */
class HostileRedisTests {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Far below what any of these servers announces (1.5 GB, 100 million elements) or streams. */
    static final long HEAP_BOUND = 64L << 20;

    /** Bounds the time a failure may take: the timeout, plus room for a loaded machine. */
    static final double MAX_SECONDS = TIMEOUT.multipliedBy(2).toMillis() / 1000.0 + 3;

    static RedisGateway gateway;

    @BeforeAll
    static void gateway() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "memdoctor.sampling.timeout", TIMEOUT.toMillis() + "ms")));
        gateway = new RedisGateway(binder.bindOrCreate("memdoctor", MemDoctorProperties.class),
                binder.bindOrCreate("memdoctor.redis", RedisGatewayProperties.class));
        // loads Netty and Lettuce, so that the first case's time is its own
        try (HostileRedis warmUp = HostileRedis.start(Behaviour.HUGE_ARRAY)) {
            gateway.info(instance(warmUp)).toCompletableFuture().exceptionally(failed -> null).join();
        }
    }

    @AfterAll
    static void close() {
        gateway.close();
    }

    @ParameterizedTest
    @EnumSource(Behaviour.class)
    void aSampleFailsWithAClearReasonAndABoundedHeap(Behaviour behaviour) {
        try (HostileRedis server = HostileRedis.start(behaviour)) {
            Instance instance = instance(server);
            long baseline = resetHeapPeaks();
            long start = System.nanoTime();
            CompletionException failed = catchThrowableOfType(CompletionException.class,
                    () -> gateway.info(instance).toCompletableFuture().join());
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = heapPeak();
            RedisFailure failure = (RedisFailure) failed.getCause();
            System.out.printf("sample of %s: %s %s in %.2f s; server sent %,d bytes; heap %d MB before, peak %d MB%n",
                    behaviour, failure.kind(), failure.reason(), seconds, server.bytesSent(), baseline >> 20,
                    peak >> 20);

            assertThat(failure.reason()).doesNotContain("\n").doesNotContain("\r");
            assertThat(seconds).isLessThan(MAX_SECONDS);
            assertThat(peak - baseline).isLessThan(HEAP_BOUND);
            switch (behaviour) {
                case HUGE_BULK -> assertError(failure, "a bulk string of 1500000000 bytes (limit 8388608)",
                        "memdoctor.redis.commands.max-bulk");
                case ENDLESS_LINE -> assertError(failure, "a line longer than 65536 bytes",
                        "memdoctor.redis.commands.max-line");
                case HUGE_ARRAY -> assertError(failure, "an array of 100000000 elements",
                        "memdoctor.redis.commands.max-elements");
                // Lettuce would take the line feed for the end of the reply and the forged text for the next one
                case ERROR_WITH_NEWLINES -> assertError(failure, "a line feed inside a status or error line", "");
                case SILENT -> {
                    assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.UNREACHABLE);
                    assertThat(failure.reason()).containsIgnoringCase("time");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Behaviour.class)
    void aScanFailsWithAClearReasonAndABoundedHeap(Behaviour behaviour) {
        try (HostileRedis server = HostileRedis.start(behaviour)) {
            Instance instance = instance(server);
            ScanParameters parameters = ScanParameters.defaults();
            long baseline = resetHeapPeaks();
            long start = System.nanoTime();
            ScanOutcome outcome;
            try (RespConnection connection = gateway.openScan(instance, TIMEOUT)) {
                outcome = new KeyspaceScanner(connection, parameters, new ScanAccumulator(parameters, 100),
                        new ScanProgress(false), TIMEOUT, 8).run(() -> false);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = heapPeak();
            String shown = RedisGateway.scrub(outcome.error(), instance);
            System.out.printf("scan of %s: %s (%s) in %.2f s; server sent %,d bytes; heap %d MB before, peak %d MB%n",
                    behaviour, outcome.status(), shown, seconds, server.bytesSent(), baseline >> 20, peak >> 20);

            assertThat(outcome.status()).isEqualTo(ScanStatus.FAILED);
            assertThat(shown).doesNotContain("\n").doesNotContain("\r");
            assertThat(seconds).isLessThan(MAX_SECONDS);
            assertThat(peak - baseline).isLessThan(HEAP_BOUND);
            assertThat(shown).contains(switch (behaviour) {
                case HUGE_BULK -> "a bulk string of 1500000000 bytes (limit 1048576); see memdoctor.redis.scans.max-bulk";
                case ENDLESS_LINE -> "a line longer than 65536 bytes";
                case HUGE_ARRAY -> "an array of 100000000 elements (limit 100000)";
                case ERROR_WITH_NEWLINES -> "SCAN was refused: ERR first line\\n" + HostileRedis.FORGED;
                case SILENT -> "Redis did not answer within 500 ms";
            });
        }
    }

    private static void assertError(RedisFailure failure, String what, String property) {
        assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.ERROR);
        assertThat(failure.reason()).contains("Redis sent " + what).contains(property);
    }

    private static Instance instance(HostileRedis server) {
        return new Instance(InstanceId.of("hostile"), "hostile", RedisUrl.of(server.url()), Instance.Source.RUNTIME);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
    }

    /** Collects, resets every heap pool's peak and returns the heap in use. */
    private static long resetHeapPeaks() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        return heapPools().stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /** The sum of the heap pools' peaks since the reset: an upper bound of the true peak. */
    private static long heapPeak() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
