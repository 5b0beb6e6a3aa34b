package io.memdoctor.cluster;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;

/** Instance rows the cluster tables refer to, written as the instances feature writes them. */
final class ClusterStoreRows {

    private ClusterStoreRows() {
    }

    static void instance(JdbcTemplate jdbc, String id, String kind, String cluster) {
        jdbc.update("INSERT INTO instance (id, name, url, source, created_at, kind, cluster_id)"
                + " VALUES (?, ?, ?, 'RUNTIME', ?, ?, ?)", id, id, "redis://10.0.0.1:7000", Timestamp.from(
                        Instant.parse("2026-01-01T00:00:00Z")), kind, cluster);
    }

    static int count(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }
}
