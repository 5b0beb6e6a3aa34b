package io.memdoctor.instances;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The watched instances, in H2. */
@Repository
class InstanceRepository {

    private static final RowMapper<Instance> MAPPER = (rs, n) -> new Instance(new InstanceId(rs.getString("id")),
            rs.getString("name"), RedisUrl.of(rs.getString("url")), Instance.Source.valueOf(rs.getString("source")));

    private final JdbcTemplate jdbc;

    InstanceRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Instance> findAll() {
        return jdbc.query("SELECT id, name, url, source FROM instance ORDER BY created_at, id", MAPPER);
    }

    Optional<Instance> findById(InstanceId id) {
        return jdbc.query("SELECT id, name, url, source FROM instance WHERE id = ?", MAPPER, id.value()).stream()
                .findFirst();
    }

    boolean existsByName(String name) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM instance WHERE LOWER(name) = LOWER(?)",
                Integer.class, name);
        return count != null && count > 0;
    }

    void insert(Instance instance, Instant createdAt) {
        jdbc.update("INSERT INTO instance (id, name, url, source, created_at) VALUES (?, ?, ?, ?, ?)",
                instance.id().value(), instance.name(), instance.url().toStorageString(), instance.source().name(),
                Timestamp.from(createdAt));
    }

    /** Inserts or updates a configured instance, keeping its creation time. */
    void upsertConfigured(Instance instance, Instant createdAt) {
        int updated = jdbc.update("UPDATE instance SET name = ?, url = ?, source = ? WHERE id = ?", instance.name(),
                instance.url().toStorageString(), instance.source().name(), instance.id().value());
        if (updated == 0) {
            insert(instance, createdAt);
        }
    }

    boolean delete(InstanceId id) {
        return jdbc.update("DELETE FROM instance WHERE id = ?", id.value()) > 0;
    }
}
