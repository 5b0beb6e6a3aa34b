package io.memdoctor.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs every test of a plain JUnit store test class twice, on H2 then on PostgreSQL, each time against one migrated
 * database the whole class shares: put it on the class and take the store as a {@code @Parameter BothStores.Store}
 * field. The database is made at the first test that asks for it ({@link Stores}, so the PostgreSQL half skips with
 * {@link PostgresServer#UNAVAILABLE} where none answers) and dropped after the class's last test (JUnit closes the
 * argument). Tests share the database: they use their own ids or {@link Store#clear} the tables they count.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "{0}")
@MethodSource("io.memdoctor.support.BothStores$Store#both")
public @interface BothStores {

    /** One vendor's database for one test class, opened when first asked for. */
    final class Store implements AutoCloseable {

        private final String vendor;
        private Stores store;
        private JdbcTemplate jdbc;

        private Store(String vendor) {
            this.vendor = vendor;
        }

        /** The two stores, not yet opened. */
        public static Stream<Store> both() {
            return Stream.of(new Store("h2"), new Store("postgresql"));
        }

        /** {@code h2} or {@code postgresql}. */
        public String vendor() {
            return vendor;
        }

        public synchronized JdbcTemplate jdbc() {
            if (store == null) {
                store = Stores.open(vendor);
                jdbc = new JdbcTemplate(store.dataSource());
            }
            return jdbc;
        }

        public DataSource dataSource() {
            return jdbc().getDataSource();
        }

        /** Deletes every row of the tables, in the order given (children first). */
        public void clear(String... tables) {
            for (String table : tables) {
                jdbc().update("DELETE FROM " + table);
            }
        }

        @Override
        public synchronized void close() {
            if (store != null) {
                store.close();
                store = null;
            }
        }

        @Override
        public String toString() {
            return vendor;
        }
    }
}
