package io.memdoctor.instances;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.config.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code instance_tag} table: one row per tag of an instance. */
@Repository
class InstanceTagRepository {

    private final JdbcTemplate jdbc;
    private final String insert;

    InstanceTagRepository(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        // two replicas starting at once both write the configured tags: the second's rows meet the first's
        this.insert = dialect.insertIfAbsent("instance_tag", List.of("instance_id", "tag"), List.of("instance_id", "tag"),
                "VALUES (?, ?)");
    }

    List<String> tagsOf(InstanceId id) {
        return jdbc.queryForList("SELECT tag FROM instance_tag WHERE instance_id = ? ORDER BY tag", String.class,
                id.value());
    }

    /** Every tagged instance's tags in one read (the overview of 1,000 instances asks on every refresh). */
    Map<InstanceId, List<String>> tagsOfAll() {
        Map<InstanceId, List<String>> all = new HashMap<>();
        jdbc.query("SELECT instance_id, tag FROM instance_tag ORDER BY instance_id, tag", rs -> {
            all.computeIfAbsent(new InstanceId(rs.getString(1)), id -> new java.util.ArrayList<>())
                    .add(rs.getString(2));
        });
        return all;
    }

    /** Replaces the instance's tags. */
    void replace(InstanceId id, List<String> tags) {
        jdbc.update("DELETE FROM instance_tag WHERE instance_id = ?", id.value());
        jdbc.batchUpdate(insert,
                tags.stream().map(tag -> new Object[] {id.value(), tag}).toList());
    }
}
