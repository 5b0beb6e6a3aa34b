package io.memdoctor.support;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Points a test context at a new private PostgreSQL database and drops that database when the context closes:
 * the drop is registered as the context's first disposable bean, so it runs last, after the connection pool closed.
 */
public class PostgresDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        PostgresServer server = PostgresServer.get()
                .orElseThrow(() -> new IllegalStateException(PostgresServer.UNAVAILABLE));
        String database = server.createDatabase();
        TestPropertyValues.of("spring.datasource.url=" + server.url(database),
                "spring.datasource.username=" + server.user(), "spring.datasource.password=" + server.password(),
                "spring.datasource.driver-class-name=org.postgresql.Driver").applyTo(context);
        DisposableBean drop = () -> server.dropDatabase(database);
        if (context instanceof GenericApplicationContext generic) {
            ((DefaultListableBeanFactory) generic.getBeanFactory()).registerDisposableBean("postgresTestDatabase",
                    drop);
        }
        else {
            context.addApplicationListener(event -> {
                if (event instanceof org.springframework.context.event.ContextClosedEvent) {
                    try {
                        drop.destroy();
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            });
        }
    }
}
