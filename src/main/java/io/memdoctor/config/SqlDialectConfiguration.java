package io.memdoctor.config;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store's dialect, asked of the database once, for every repository that writes "insert or replace". */
@Configuration(proxyBeanMethods = false)
class SqlDialectConfiguration {

    @Bean
    SqlDialect sqlDialect(DataSource dataSource) {
        return SqlDialect.of(dataSource);
    }
}
