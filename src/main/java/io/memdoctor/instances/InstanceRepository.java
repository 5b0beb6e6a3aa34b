package io.memdoctor.instances;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.memdoctor.secrets.SecretBox;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The watched instances, in the database. A URL that carries a password is stored sealed ({@link SecretBox}:
 * {@code v1:...}, AES-GCM with a key kept outside the database); one without a password is stored as it is, so the
 * table stays readable. {@link StoredPasswords} seals rows written in clear by earlier versions.
 */
@Repository
class InstanceRepository {

    private static final String COLUMNS = "id, name, url, source, kind, cluster_id, memory_limit";
    /** The {@code url} column's width. */
    private static final int COLUMN_WIDTH = 2000;

    private final JdbcTemplate jdbc;
    private final SecretBox secrets;
    private final RowMapper<Instance> mapper;

    InstanceRepository(JdbcTemplate jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.mapper = (rs, n) -> new Instance(new InstanceId(rs.getString("id")), rs.getString("name"),
                RedisUrl.of(readable(rs.getString("url"))), Instance.Source.valueOf(rs.getString("source")),
                Instance.Kind.valueOf(rs.getString("kind")),
                rs.getString("cluster_id") == null ? null : new InstanceId(rs.getString("cluster_id")),
                rs.getObject("memory_limit") == null ? null : rs.getLong("memory_limit"));
        // before any other bean reads an instance: old clear-text rows are sealed, and a key that cannot open the
        // stored ones stops the start with one clear message instead of failing every sample
        new StoredPasswords(jdbc, secrets).sealAndCheck();
    }

    List<Instance> findAll() {
        return jdbc.query("SELECT " + COLUMNS + " FROM instance ORDER BY created_at, id", mapper);
    }

    /* ids only: no URL to parse or unseal (a sealed one costs an AES-GCM open per row) */
    Set<InstanceId> ids() {
        return new HashSet<>(jdbc.query("SELECT id FROM instance", (rs, n) -> new InstanceId(rs.getString(1))));
    }

    boolean exists(InstanceId id) {
        return !jdbc.queryForList("SELECT 1 FROM instance WHERE id = ?", Integer.class, id.value()).isEmpty();
    }

    Optional<Instance> findById(InstanceId id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM instance WHERE id = ?", mapper, id.value()).stream()
                .findFirst();
    }

    boolean existsByName(String name) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM instance WHERE LOWER(name) = LOWER(?)",
                Integer.class, name);
        return count != null && count > 0;
    }

    void insert(Instance instance, Instant createdAt) {
        jdbc.update("INSERT INTO instance (id, name, url, source, created_at, kind, cluster_id, memory_limit)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", instance.id().value(), instance.name(), stored(instance.url()),
                instance.source().name(), Timestamp.from(createdAt), instance.kind().name(),
                instance.cluster() == null ? null : instance.cluster().value(), instance.memoryLimit());
    }

    /**
     * Inserts or updates a configured instance, keeping its creation time. Replicas starting together may both
     * insert it: the one that loses updates instead.
     */
    void upsertConfigured(Instance instance, Instant createdAt) {
        if (update(instance) == 0) {
            try {
                insert(instance, createdAt);
            }
            catch (DuplicateKeyException ex) {
                update(instance);
            }
        }
    }

    private int update(Instance instance) {
        return jdbc.update("UPDATE instance SET name = ?, url = ?, source = ?, memory_limit = ? WHERE id = ?",
                instance.name(), stored(instance.url()), instance.source().name(), instance.memoryLimit(),
                instance.id().value());
    }

    /**
     * Sets or clears ({@code null}) the declared memory limit, of a cluster's nodes too when the id is a cluster's
     * (each node's container has it); whether the instance exists.
     */
    boolean updateMemoryLimit(InstanceId id, Long bytes) {
        return jdbc.update("UPDATE instance SET memory_limit = ? WHERE id = ? OR cluster_id = ?", bytes, id.value(),
                id.value()) > 0;
    }

    /* the declared limits only: no URL to parse or unseal (MemoryLimits keeps them for the per-sample rules) */
    Map<InstanceId, Long> memoryLimits() {
        Map<InstanceId, Long> limits = new HashMap<>();
        jdbc.query("SELECT id, memory_limit FROM instance WHERE memory_limit IS NOT NULL",
                rs -> {
                    limits.put(new InstanceId(rs.getString(1)), rs.getLong(2));
                });
        return limits;
    }

    /** The nodes of a cluster, oldest first. */
    List<Instance> findNodes(InstanceId cluster) {
        return jdbc.query("SELECT " + COLUMNS + " FROM instance WHERE cluster_id = ?"
                + " ORDER BY created_at, id", mapper, cluster.value());
    }

    /** Makes a server a cluster: found by a probe after it was added (a configured seed, a seed that was down). */
    void markCluster(InstanceId id) {
        jdbc.update("UPDATE instance SET kind = ?, cluster_id = NULL WHERE id = ?", Instance.Kind.CLUSTER.name(),
                id.value());
    }

    boolean delete(InstanceId id) {
        return jdbc.update("DELETE FROM instance WHERE id = ?", id.value()) > 0;
    }

    /** What the {@code url} column holds for this URL: sealed when it carries a password. */
    private String stored(RedisUrl url) {
        String text = url.hasPassword() ? secrets.seal(url.toStorageString()) : url.toStorageString();
        if (text.length() > COLUMN_WIDTH) {
            throw new InvalidRedisUrlException("URL is too long to store");
        }
        return text;
    }

    private String readable(String column) {
        return SecretBox.isSealed(column) ? secrets.open(column) : column;
    }
}
