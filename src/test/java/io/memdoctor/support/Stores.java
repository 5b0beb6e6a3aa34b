package io.memdoctor.support;

import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;

/**
 * A migrated store without Spring, for plain JUnit tests that run on both databases: an in-memory H2 database, or a
 * private database on {@link PostgresServer} (skipped with its message where none answers). Close it to drop it.
 */
public final class Stores implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Runnable drop;

    private Stores(HikariDataSource dataSource, Runnable drop) {
        this.dataSource = dataSource;
        this.drop = drop;
    }

    /** A migrated, empty store: {@code h2} or {@code postgresql}. */
    public static Stores open(String vendor) {
        HikariDataSource ds = new HikariDataSource();
        ds.setMaximumPoolSize(8);
        Runnable drop = () -> { };
        if (vendor.equals("h2")) {
            ds.setJdbcUrl("jdbc:h2:mem:stores-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            ds.setUsername("sa");
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
        Flyway.configure().dataSource(ds).locations("classpath:db/migration", "classpath:db/vendor/" + vendor).load()
                .migrate();
        return new Stores(ds, drop);
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
