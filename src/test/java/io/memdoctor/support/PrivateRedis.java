package io.memdoctor.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One private {@code redis-server} for the test class, stopped after it, set into the class's static
 * {@link RedisServer} field. With {@link #instance()}, a Spring test's dashboard watches it under that name for the
 * class (sampled once when added) and forgets it after: no {@code @DynamicPropertySource}, so the class shares the cached application
 * context of {@link DashboardTest} instead of starting (and dirtying) its own.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PrivateRedisExtension.class)
public @interface PrivateRedis {

    /** The instance name the dashboard watches the server under; empty for none. */
    String instance() default "";

    /** Extra {@code redis-server} arguments, as {@code --name value} pairs. */
    String[] args() default {};
}
