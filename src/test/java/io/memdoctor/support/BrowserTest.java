package io.memdoctor.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole dashboard on a random port for a real browser, with the {@code test} profile (in-memory H2, sampling only
 * on demand). Like {@link DashboardTest}, every class with this and nothing that changes the configuration shares one
 * cached application context: watch a private server with {@link PrivateRedis#instance()}, not with
 * {@code @DynamicPropertySource}.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public @interface BrowserTest {
}
