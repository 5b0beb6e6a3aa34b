package io.memdoctor.instances;

import java.sql.Timestamp;
import java.time.Instant;

import io.memdoctor.secrets.SecretBox;
import io.memdoctor.secrets.SecretsUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store of instances on the real migrations: passwords sealed, old clear rows sealed at start, a wrong key refused. */
@JdbcTest
class InstanceRepositoryTests {

    static final String PASSWORD = "Repo-Test-pw-31337";
    static final SecretBox BOX = SecretBox.withKey(new byte[32]);

    @Autowired
    JdbcTemplate jdbc;

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

    @Test
    void aDeclaredMemoryLimitIsStoredChangedClearedAndTakenFromTheConfiguration() {
        InstanceRepository repository = new InstanceRepository(jdbc, BOX);
        InstanceId id = new InstanceId("pod");
        RedisUrl url = RedisUrl.of("redis://10.0.0.8:6379");
        repository.insert(new Instance(id, "pod", url, Instance.Source.RUNTIME, Instance.Kind.SERVER, null, 1L << 30),
                Instant.now());
        assertThat(repository.findById(id).orElseThrow().memoryLimit()).isEqualTo(1L << 30);
        assertThat(repository.memoryLimits()).containsEntry(id, 1L << 30);

        // 5 TB: beyond what an INTEGER column holds
        assertThat(repository.updateMemoryLimit(id, 5L << 40)).isTrue();
        assertThat(repository.findAll()).filteredOn(i -> i.id().equals(id)).singleElement()
                .satisfies(i -> assertThat(i.memoryLimit()).isEqualTo(5L << 40));
        assertThat(repository.updateMemoryLimit(id, null)).isTrue();
        assertThat(repository.memoryLimits()).doesNotContainKey(id);
        assertThat(repository.findById(id).orElseThrow().memoryLimit()).isNull();
        assertThat(repository.updateMemoryLimit(new InstanceId("nobody"), 1L << 30)).isFalse();
        assertThat(repository.memoryLimits()).doesNotContainKey(new InstanceId("nobody"));

        // a configured instance gets the configured limit at every start, none included
        repository.upsertConfigured(new Instance(id, "pod", url, Instance.Source.CONFIG, Instance.Kind.SERVER, null,
                2L << 30), Instant.now());
        assertThat(repository.memoryLimits()).containsEntry(id, 2L << 30);
        repository.upsertConfigured(new Instance(id, "pod", url, Instance.Source.CONFIG), Instant.now());
        assertThat(repository.memoryLimits()).doesNotContainKey(id);
    }

    private String url(String id) {
        return jdbc.queryForObject("SELECT url FROM instance WHERE id = ?", String.class, id);
    }
}
