package io.memdoctor.cluster;

import java.util.List;
import java.util.Optional;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.instances.InstanceId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The topology last read of each cluster ({@code cluster_node}: one row per node). */
@Repository
class ClusterNodeRepository {

    private static final String COLUMNS = "instance_id, cluster_id, node_id, address, role, primary_address, slots,"
            + " failed, updated_at";

    private final JdbcTemplate jdbc;
    private final String upsert;
    private final RowMapper<NodeRow> mapper = (rs, n) -> new NodeRow(InstanceId.of(rs.getString("instance_id")),
            InstanceId.of(rs.getString("cluster_id")), rs.getString("node_id"), rs.getString("address"),
            ClusterTopology.Role.valueOf(rs.getString("role")), rs.getString("primary_address"), rs.getString("slots"),
            rs.getBoolean("failed"), rs.getLong("updated_at"));

    ClusterNodeRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // an upsert, not UPDATE then INSERT: two replicas storing a new node at once, the second's INSERT failed
        this.upsert = SqlDialect.of(jdbc.getDataSource()).upsert("cluster_node", List.of("instance_id"),
                List.of(COLUMNS.split(", ")), "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    /**
     * Locks the cluster's instance row until the transaction ends; several replicas syncing one cluster take turns.
     *
     * @return false for a cluster no longer watched
     */
    boolean lockCluster(InstanceId cluster) {
        return !jdbc.queryForList("SELECT id FROM instance WHERE id = ? FOR UPDATE", String.class, cluster.value())
                .isEmpty();
    }

    List<NodeRow> findByCluster(InstanceId cluster) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cluster_node WHERE cluster_id = ? ORDER BY address", mapper,
                cluster.value());
    }

    List<NodeRow> findAll() {
        return jdbc.query("SELECT " + COLUMNS + " FROM cluster_node", mapper);
    }

    Optional<NodeRow> find(InstanceId node) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cluster_node WHERE instance_id = ?", mapper, node.value())
                .stream().findFirst();
    }

    void save(NodeRow row) {
        jdbc.update(upsert, row.instanceId().value(), row.cluster().value(), row.nodeId(), row.address(),
                row.role().name(), row.primary(), row.slots(), row.failed(), row.updatedAt());
    }
}
