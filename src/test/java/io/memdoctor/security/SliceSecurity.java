package io.memdoctor.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The dashboard's own {@link SecurityConfiguration} for {@code @WebMvcTest} slices (which scan neither configuration
 * classes nor configuration properties), so a slice answers with the same roles, CSRF rules and headers as the application.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfiguration.class)
@EnableConfigurationProperties(SecurityProperties.class)
public class SliceSecurity {
}
