package io.memdoctor.alerts;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckSeverity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks behind the critical-check rule run off the caller's thread (the sample writer's): a server that takes
 * its time to answer CONFIG GET costs the rule a sample's delay, never the writer a wait.
 */
class CriticalChecksTests {

    static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");
    static final CheckResult CRITICAL = new CheckResult("maxmemory", CheckSeverity.CRITICAL, "No limit", "", "");
    static final CheckResult WARNING = new CheckResult("policy", CheckSeverity.WARNING, "Policy", "", "");

    @Test
    void aSlowCheckNeverHoldsTheCallerAndItsResultCountsFromTheNextSample() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (CriticalChecks checks = new CriticalChecks(id -> {
            runs.incrementAndGet();
            await(answer);
            return List.of(CRITICAL, WARNING);
        }, executor)) {
            long start = System.nanoTime();
            assertThat(checks.current("slow", T0)).isEmpty();
            // due again, but the first run has not returned: not queued twice
            assertThat(checks.current("slow", T0.plus(CriticalChecks.EVERY))).isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);

            answer.countDown();
            for (int i = 0; i < 100 && checks.last("slow").isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertThat(checks.current("slow", T0.plusSeconds(10))).containsExactly(CRITICAL);
            assertThat(runs).hasValue(1);

            // five minutes after the last start: checked again in the background, the last result meanwhile
            assertThat(checks.current("slow", T0.plus(CriticalChecks.EVERY).plusSeconds(20))).containsExactly(CRITICAL);
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(runs).hasValue(2);
            assertThat(checks.last("never-sampled")).isEmpty();
        }
    }

    @Test
    void aFailedCheckKeepsTheLastResult() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (CriticalChecks checks = new CriticalChecks(id -> {
            if (runs.incrementAndGet() > 1) {
                throw new IllegalStateException("store unavailable");
            }
            return List.of(CRITICAL);
        }, executor)) {
            checks.current("flaky", T0);
            for (int i = 0; i < 100 && checks.last("flaky").isEmpty(); i++) {
                Thread.sleep(20);
            }
            checks.current("flaky", T0.plus(CriticalChecks.EVERY));
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(runs).hasValue(2);
            assertThat(checks.last("flaky")).containsExactly(CRITICAL);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
