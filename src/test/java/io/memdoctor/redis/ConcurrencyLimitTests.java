package io.memdoctor.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded queue of samples: past the limit work waits for its turn, none is refused. */
class ConcurrencyLimitTests {

    @Test
    void workPastTheLimitWaitsItsTurnAndAllOfItCompletes() {
        ConcurrencyLimit throttle = new ConcurrencyLimit(2);
        List<CompletableFuture<Integer>> started = new ArrayList<>();
        List<CompletionStage<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(throttle.submit(() -> {
                CompletableFuture<Integer> work = new CompletableFuture<>();
                started.add(work);
                return work;
            }));
        }
        assertThat(started).hasSize(2);
        assertThat(throttle.running()).isEqualTo(2);
        assertThat(throttle.waiting()).isEqualTo(3);
        started.get(0).complete(0);
        assertThat(started).hasSize(3);
        started.get(1).completeExceptionally(new IllegalStateException("dead"));
        for (int i = 2; i < 5; i++) {
            started.get(i).complete(i);
        }
        assertThat(throttle.running()).isZero();
        assertThat(throttle.waiting()).isZero();
        assertThat(results.get(0).toCompletableFuture().join()).isZero();
        assertThat(results.get(1).toCompletableFuture()).isCompletedExceptionally();
        assertThat(results.get(4).toCompletableFuture().join()).isEqualTo(4);
    }

    @Test
    void aFloodOfWorkThatEndsAtOnceNeedsNoDeepStack() {
        ConcurrencyLimit throttle = new ConcurrencyLimit(1);
        CompletableFuture<Integer> first = new CompletableFuture<>();
        throttle.submit(() -> first);
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 200_000; i++) {
            throttle.submit(() -> CompletableFuture.failedFuture(new IllegalStateException("refused")))
                    .whenComplete((value, failed) -> done.incrementAndGet());
        }
        first.complete(1);
        assertThat(done).hasValue(200_000);
        assertThat(throttle.running()).isZero();
    }
}
