package io.memdoctor.cluster;

import java.time.Instant;
import java.util.List;

import io.memdoctor.instances.InstanceId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The topology changes of each cluster ({@code cluster_event}). */
@Repository
class ClusterEventRepository {

    private static final int DETAIL_WIDTH = 1000;

    private final JdbcTemplate jdbc;

    ClusterEventRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void add(InstanceId cluster, ClusterEvent event) {
        String detail = event.detail();
        if (detail.length() > DETAIL_WIDTH) {
            // never half of a character outside the BMP (an emoji): a lone surrogate is not text
            detail = detail.substring(0, Character.isHighSurrogate(detail.charAt(DETAIL_WIDTH - 1)) ? DETAIL_WIDTH - 1
                    : DETAIL_WIDTH);
        }
        jdbc.update("INSERT INTO cluster_event (cluster_id, at_ms, kind, node, detail) VALUES (?, ?, ?, ?, ?)",
                cluster.value(), event.at().toEpochMilli(), event.kind().name(), event.node(), detail);
    }

    /** The newest events first, at most {@code limit}, not older than {@code since}. */
    List<ClusterEvent> recent(InstanceId cluster, Instant since, int limit) {
        return jdbc.query("SELECT at_ms, kind, node, detail FROM cluster_event WHERE cluster_id = ? AND at_ms >= ?"
                + " ORDER BY at_ms DESC, id DESC LIMIT " + limit,
                (rs, n) -> new ClusterEvent(Instant.ofEpochMilli(rs.getLong("at_ms")),
                        ClusterEvent.Kind.valueOf(rs.getString("kind")), rs.getString("node"), rs.getString("detail")),
                cluster.value(), since.toEpochMilli());
    }
}
