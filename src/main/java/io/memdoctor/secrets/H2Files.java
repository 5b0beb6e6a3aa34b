package io.memdoctor.secrets;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;

/** The directory of an embedded H2 file database, read from a pool's JDBC URL. */
public final class H2Files {

    private static final String PREFIX = "jdbc:h2:file:";
    private static final int DATABASE_CLOSED = 90121;

    private H2Files() {
    }

    /** The directory of {@code jdbc:h2:file:<dir>/<name>[;options]}; empty for any other URL. */
    public static Optional<Path> directoryOf(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring(PREFIX.length());
        int options = rest.indexOf(';');
        String file = options < 0 ? rest : rest.substring(0, options);
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
        return Optional.ofNullable(parent);
    }

    /**
     * Makes the directory of a pool's H2 file database, and the files H2 created in it, owner-only; nothing for
     * another database.
     */
    public static void tighten(Object dataSource) {
        directory(dataSource).ifPresent(dir -> {
            try {
                OwnerOnly.tighten(dir);
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException("cannot restrict the data directory " + dir, ex);
            }
        });
    }

    /**
     * Rewrites an H2 file database so that values overwritten in place (a password before it was sealed) no longer
     * linger in old pages of the file: H2 keeps superseded pages until their space is reused. {@code SHUTDOWN
     * COMPACT} closes the database, so the pool's connections are evicted afterwards and the next borrow reopens it.
     * Meant for start-up, before anything else uses the pool; nothing happens for another database.
     */
    public static void compact(javax.sql.DataSource dataSource) {
        if (directory(dataSource).isEmpty()) {
            return;
        }
        try (java.sql.Connection connection = dataSource.getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        }
        catch (java.sql.SQLException ex) {
            // 90121: the connection noticed the shutdown it asked for, while closing
            if (ex.getErrorCode() != DATABASE_CLOSED) {
                throw new IllegalStateException("could not compact the H2 database: " + ex.getMessage(), ex);
            }
        }
        if (dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
        tighten(dataSource);
    }

    /** The directory of a pool's H2 file database (HikariCP and any pool with {@code getJdbcUrl()} / {@code getUrl()}). */
    static Optional<Path> directory(Object dataSource) {
        for (String getter : new String[] {"getJdbcUrl", "getUrl"}) {
            try {
                Method method = dataSource.getClass().getMethod(getter);
                Object url = method.invoke(dataSource);
                if (url instanceof String text) {
                    return directoryOf(text);
                }
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                // not this pool's getter
            }
        }
        return Optional.empty();
    }
}
