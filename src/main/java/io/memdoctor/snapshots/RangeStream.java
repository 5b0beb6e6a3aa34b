package io.memdoctor.snapshots;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;

import io.memdoctor.instances.InstanceId;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One instance's rows of a time range, streamed in pages of {@link #FETCH_SIZE} rather than read into a list: what
 * a long chart range reads from the raw samples ({@code SnapshotRepository.streamRaw}) and from the rollups
 * ({@code RollupRepository.streamRollups}).
 */
final class RangeStream {

    static final int FETCH_SIZE = 2000;

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private RangeStream() {
    }

    /**
     * Runs {@code sql}, whose three parameters are the instance id, {@code from} and {@code to} in epoch
     * milliseconds, and hands each row to the consumer in the query's order.
     */
    static <T> void stream(JdbcTemplate jdbc, String sql, InstanceId id, Instant from, Instant to, Row<T> row,
            Consumer<T> consumer) {
        jdbc.query(con -> {
            var statement = con.prepareStatement(sql);
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, id.value());
            statement.setLong(2, from.toEpochMilli());
            statement.setLong(3, to.toEpochMilli());
            return statement;
        }, (ResultSet rs) -> {
            consumer.accept(row.map(rs));
        });
    }
}
