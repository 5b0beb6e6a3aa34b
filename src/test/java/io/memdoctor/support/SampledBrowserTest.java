package io.memdoctor.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@link BrowserTest} with scheduled sampling on ({@code fast-sampling}: every 300 ms), for pages that must fill up
 * by themselves. Every class with this and nothing that changes the configuration shares one cached context: watch
 * a private server with {@link PrivateRedis#instance()} under a name of the class's own.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "fast-sampling"})
public @interface SampledBrowserTest {
}
