package io.memdoctor.instances;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.memdoctor.support.PostgresStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@link InstanceRepositoryTests} test on a private PostgreSQL database, and what only replicas sharing one
 * PostgreSQL meet (on H2 one process owns the file).
 */
@PostgresStore
class InstanceRepositoryPostgresTests extends InstanceRepositoryTests {

    @Autowired
    PlatformTransactionManager transactions;

    /**
     * Two replicas starting at once both write an instance's configured tags, each in its own transaction: the
     * second's INSERT waits for the first's rows, then must not fail on them (it stopped the replica's start).
     */
    @Test
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    void twoReplicasWritingTheSameConfiguredTagsAtOnceBothStart() throws Exception {
        InstanceRepository instances = new InstanceRepository(jdbc, BOX);
        InstanceTagRepository tags = new InstanceTagRepository(jdbc);
        InstanceId id = new InstanceId("tagged-twice");
        instances.insert(new Instance(id, "tagged-twice", RedisUrl.of("redis://10.0.0.6:6379"),
                Instance.Source.CONFIG), Instant.now());
        TransactionTemplate tx = new TransactionTemplate(transactions);
        CountDownLatch firstWrote = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> tx.executeWithoutResult(status -> {
                tags.replace(id, List.of("env:prod", "team:a"));
                firstWrote.countDown();
                await(secondStarted);
                sleep(300); // the second's INSERT is waiting on these rows now
            }));
            firstWrote.await();
            Future<?> second = pool.submit(() -> tx.executeWithoutResult(status -> {
                secondStarted.countDown();
                tags.replace(id, List.of("env:prod", "team:a"));
            }));
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            assertThat(tags.tagsOf(id)).containsExactly("env:prod", "team:a");
        }
        finally {
            pool.shutdownNow();
            jdbc.update("DELETE FROM instance WHERE id = ?", id.value());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
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
