package io.memdoctor.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;

/**
 * A migrated store without Spring, for plain JUnit tests that run on both databases: an in-memory H2 database, or a
 * private database on {@link PostgresServer} (skipped with its message where none answers). Close it to drop it
 * (the H2 one too: it is shut down).
 */
public final class Stores implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Runnable drop;
    private final String vendor;

    private Stores(HikariDataSource dataSource, Runnable drop, String vendor) {
        this.dataSource = dataSource;
        this.drop = drop;
        this.vendor = vendor;
    }

    /** A migrated, empty store: {@code h2} or {@code postgresql}. */
    public static Stores open(String vendor) {
        return openAt(vendor, "latest");
    }

    /** An empty store migrated up to {@code version} only (a migration's test fills it, then {@link #migrate}s). */
    public static Stores openAt(String vendor, String version) {
        HikariDataSource ds = new HikariDataSource();
        ds.setMaximumPoolSize(8);
        Runnable drop = () -> { };
        if (vendor.equals("h2")) {
            String url = "jdbc:h2:mem:stores-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            ds.setJdbcUrl(url);
            ds.setUsername("sa");
            // DB_CLOSE_DELAY=-1 keeps an in-memory database until the JVM ends, whatever it holds
            drop = () -> shutdown(url);
        }
        else {
            PostgresServer server = PostgresServer.get().orElse(null);
            Assumptions.assumeTrue(server != null, PostgresServer.UNAVAILABLE);
            String database = server.createDatabase();
            ds.setJdbcUrl(server.url(database));
            ds.setUsername(server.user());
            ds.setPassword(server.password());
            drop = () -> server.dropDatabase(database);
        }
        Stores store = new Stores(ds, drop, vendor);
        store.migrate(version);
        return store;
    }

    /** Applies the migrations up to {@code version} ({@code latest}: all). */
    public void migrate(String version) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
                .target(version).load().migrate();
    }

    private static void shutdown(String h2Url) {
        try (Connection connection = DriverManager.getConnection(h2Url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("SHUTDOWN " + h2Url + ": " + ex.getMessage(), ex);
        }
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
        drop.run();
    }
}
