package io.memdoctor.instances;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.secrets.SecretBox;
import io.memdoctor.secrets.SecretsUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The store of instances on the real migrations: passwords sealed, old clear rows sealed at start, a wrong key refused. */
@JdbcTest
class InstanceRepositoryTests {

    static final String PASSWORD = "Repo-Test-pw-31337";
    static final SecretBox BOX = SecretBox.withKey(new byte[32]);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    /**
     * Two replicas starting at once both write an instance's configured tags, each in its own transaction: the
     * second's INSERT waits for the first's rows, then must not fail on them (it stopped the replica's start).
     */
    @Test
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    void twoReplicasWritingTheSameConfiguredTagsAtOnceBothStart() throws Exception {
        assumeTrue(SqlDialect.of(jdbc.getDataSource()) == SqlDialect.POSTGRESQL,
                "replicas share PostgreSQL only; on H2 one process owns the file");
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

    @Test
    void aUrlWithAPasswordIsStoredSealedAndReadBack() {
        InstanceRepository repository = new InstanceRepository(jdbc, BOX);
        repository.insert(new Instance(new InstanceId("locked"), "locked",
                RedisUrl.of("redis://ops:" + PASSWORD + "@10.0.0.5:6379/2"), Instance.Source.RUNTIME), Instant.now());
        repository.insert(new Instance(new InstanceId("open"), "open", RedisUrl.of("redis://10.0.0.6:6379"),
                Instance.Source.RUNTIME), Instant.now());

        assertThat(url("locked")).startsWith("v1:").doesNotContain(PASSWORD).doesNotContain("ops");
        assertThat(url("open")).isEqualTo("redis://10.0.0.6:6379");
        RedisUrl read = repository.findById(new InstanceId("locked")).orElseThrow().url();
        assertThat(read.password()).isEqualTo(PASSWORD);
        assertThat(read.username()).isEqualTo("ops");
        assertThat(read.database()).isEqualTo(2);

        repository.upsertConfigured(new Instance(new InstanceId("locked"), "locked",
                RedisUrl.of("redis://:" + PASSWORD + "-2@10.0.0.5:6379"), Instance.Source.CONFIG), Instant.now());
        assertThat(url("locked")).startsWith("v1:").doesNotContain(PASSWORD);
        assertThat(repository.findById(new InstanceId("locked")).orElseThrow().url().password())
                .isEqualTo(PASSWORD + "-2");
    }

    @Test
    void clearRowsAreSealedAtStartAndAnotherKeyIsRefused() {
        jdbc.update("INSERT INTO instance (id, name, url, source, created_at) VALUES (?, ?, ?, ?, ?)", "legacy",
                "legacy", "redis://:" + PASSWORD + "@10.0.0.7:6379", "RUNTIME", Timestamp.from(Instant.now()));
        InstanceRepository repository = new InstanceRepository(jdbc, BOX);
        assertThat(url("legacy")).startsWith("v1:").doesNotContain(PASSWORD);
        assertThat(repository.findAll()).singleElement()
                .satisfies(instance -> assertThat(instance.url().password()).isEqualTo(PASSWORD));
        // a second start seals nothing more and opens what is there
        assertThat(new StoredPasswords(jdbc, BOX).sealAndCheck()).isZero();

        byte[] other = new byte[32];
        other[0] = 9;
        assertThatThrownBy(() -> new InstanceRepository(jdbc, SecretBox.withKey(other)))
                .isInstanceOf(SecretsUnavailableException.class).hasMessageContaining("cannot be decrypted");
    }

    private String url(String id) {
        return jdbc.queryForObject("SELECT url FROM instance WHERE id = ?", String.class, id);
    }
}
