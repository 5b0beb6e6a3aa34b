package io.memdoctor.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import io.memdoctor.config.MemDoctorProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The installation's {@link SecretBox}, and an owner-only data directory before H2 writes into it. */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {

    @Bean
    SecretBox secretBox(Environment environment, MemDoctorProperties properties) {
        // read from the environment, not bound to a record: a record's toString would print the key
        String configured = environment.getProperty(SecretKeys.PROPERTY);
        Path dataDir = properties.dataDir();
        return new SecretBox(() -> SecretKeys.load(configured, dataDir));
    }

    /**
     * Creates the directory of an H2 file database owner-only before the pool opens it, so the database files are
     * never in a directory others can enter.
     */
    @Bean
    static BeanPostProcessor ownerOnlyH2Directory() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource) {
                    H2Files.directory(bean).ifPresent(dir -> {
                        try {
                            OwnerOnly.directory(dir);
                            OwnerOnly.tighten(dir);
                        }
                        catch (IOException ex) {
                            throw new UncheckedIOException("cannot create the data directory " + dir, ex);
                        }
                    });
                }
                return bean;
            }
        };
    }
}
