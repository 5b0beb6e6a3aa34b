package io.memdoctor.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL server for store tests: the one on 127.0.0.1:5432 (trust authentication, user {@code postgres} or
 * {@code root}, as on this machine kind and in CI), else a Testcontainers PostgreSQL where Docker runs, else none.
 * Tests get a private database each ({@link #createDatabase()}) and drop it after ({@link #dropDatabase}).
 */
public final class PostgresServer {

    /** Why PostgreSQL tests skip when there is no server. */
    public static final String UNAVAILABLE = "No PostgreSQL answers on 127.0.0.1:5432 (trust auth, user postgres or"
            + " root) and Docker is not available: the PostgreSQL half of the store tests is skipped. .ci/run"
            + " installs and starts one.";

    private static final String HOST_URL = "jdbc:postgresql://127.0.0.1:5432/";
    private static Optional<PostgresServer> server;

    private final String adminUrl;
    private final String baseUrl;
    private final String user;
    private final String password;

    private PostgresServer(String adminUrl, String baseUrl, String user, String password) {
        this.adminUrl = adminUrl;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The server to use, found once per JVM. */
    public static synchronized Optional<PostgresServer> get() {
        if (server == null) {
            server = local().or(PostgresServer::container);
        }
        return server;
    }

    private static Optional<PostgresServer> local() {
        for (String user : List.of("postgres", "root")) {
            try (Connection connection = DriverManager.getConnection(HOST_URL + "postgres?connectTimeout=2", user,
                    "")) {
                if (connection.isValid(2)) {
                    return Optional.of(new PostgresServer(HOST_URL + "postgres", HOST_URL, user, ""));
                }
            }
            catch (SQLException ex) {
                // not this user, or no server: try the next
            }
        }
        return Optional.empty();
    }

    private static Optional<PostgresServer> container() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
        }
        catch (RuntimeException ex) {
            return Optional.empty();
        }
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        String url = container.getJdbcUrl();
        String base = url.substring(0, url.lastIndexOf('/') + 1);
        return Optional.of(new PostgresServer(url, base, container.getUsername(), container.getPassword()));
    }

    /** Creates a private, empty database and returns its name. */
    public String createDatabase() {
        String name = "memdoctor_test_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
        execute("CREATE DATABASE " + name);
        return name;
    }

    /** Drops a database made by {@link #createDatabase()}, closing whatever connections are still open on it. */
    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The JDBC URL of a database on this server. */
    public String url(String database) {
        return baseUrl + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
        }
    }
}
