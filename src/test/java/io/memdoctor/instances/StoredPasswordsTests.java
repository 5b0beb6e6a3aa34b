package io.memdoctor.instances;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.memdoctor.secrets.SecretBox;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class StoredPasswordsTests {

    static final String PASSWORD = "Zq7-legacy-Plaintext-pw-4411";

    @TempDir
    Path dir;

    @Test
    void clearTextRowsOfEarlierVersionsAreSealedAndLeaveNoTraceInTheFiles() throws IOException {
        Path data = dir.resolve("data");
        // an earlier version wrote the URL in clear and stopped
        try (HikariDataSource old = h2(data)) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration", "classpath:db/vendor/h2").load()
                    .migrate();
            new JdbcTemplate(old).update("INSERT INTO instance (id, name, url, source, created_at) VALUES (?,?,?,?,?)",
                    "legacy", "legacy", "redis://:" + PASSWORD + "@127.0.0.1:6390", "RUNTIME",
                    Timestamp.from(Instant.now()));
        }
        assertThat(filesContaining(data, PASSWORD)).isNotEmpty();

        SecretBox box = SecretBox.withKey(new byte[32]);
        try (HikariDataSource ds = h2(data)) {
            InstanceRepository repository = new InstanceRepository(new JdbcTemplate(ds), box);
            assertThat(new JdbcTemplate(ds).queryForObject("SELECT url FROM instance", String.class))
                    .startsWith("v1:");
            assertThat(repository.findAll()).singleElement()
                    .satisfies(i -> assertThat(i.url().password()).isEqualTo(PASSWORD));
            assertThat(filesContaining(data, PASSWORD)).as("while open").isEmpty();
        }
        assertThat(filesContaining(data, PASSWORD)).isEmpty();
    }

    private static HikariDataSource h2(Path data) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + data.resolve("memdoctor") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        ds.setUsername("sa");
        ds.setPassword("");
        return ds;
    }

    static List<Path> filesContaining(Path dir, String secret) throws IOException {
        return filesContaining(dir, secret.getBytes(StandardCharsets.UTF_8));
    }

    static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
