package io.memdoctor.config;

import java.sql.DatabaseMetaData;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The two stores the dashboard runs on, and the little SQL in which they differ: "insert or replace by key" is
 * {@code MERGE ... KEY} on H2 and {@code INSERT ... ON CONFLICT} on PostgreSQL. Everything else the repositories
 * send is common SQL.
 */
public enum SqlDialect {

    H2, POSTGRESQL;

    /** The dialect of the database behind {@code dataSource}; H2 unless it says it is PostgreSQL. */
    public static SqlDialect of(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource,
                    DatabaseMetaData::getDatabaseProductName);
            return product != null && product.toLowerCase().contains("postgres") ? POSTGRESQL : H2;
        }
        catch (MetaDataAccessException ex) {
            throw new IllegalStateException("Cannot tell which database the store is: " + ex.getMessage(), ex);
        }
    }

    /**
     * Inserts a row unless one with the same key exists. On PostgreSQL the duplicate is skipped ({@code ON CONFLICT DO
     * NOTHING}, 0 rows): a unique violation there would abort the whole transaction around it (a sampling tick's
     * batch). H2 rejects the duplicate with a {@code DuplicateKeyException} and the transaction goes on, so callers
     * take both as "not inserted".
     */
    public String insertIfAbsent(String table, List<String> keys, List<String> columns, String source) {
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") " + source;
        return switch (this) {
            case H2 -> insert;
            case POSTGRESQL -> insert + " ON CONFLICT (" + String.join(", ", keys) + ") DO NOTHING";
        };
    }

    /**
     * Inserts rows, replacing those with the same key.
     *
     * @param table the table
     * @param keys the key columns (a primary key or unique constraint)
     * @param columns every column written, keys included, in the order {@code source} produces them
     * @param source {@code VALUES (...)} or a {@code SELECT}
     */
    public String upsert(String table, List<String> keys, List<String> columns, String source) {
        String names = String.join(", ", columns);
        return switch (this) {
            case H2 -> "MERGE INTO " + table + " (" + names + ") KEY (" + String.join(", ", keys) + ") " + source;
            case POSTGRESQL -> "INSERT INTO " + table + " (" + names + ") " + source + " ON CONFLICT ("
                    + String.join(", ", keys) + ") DO UPDATE SET " + columns.stream().filter(c -> !keys.contains(c))
                            .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        };
    }
}
