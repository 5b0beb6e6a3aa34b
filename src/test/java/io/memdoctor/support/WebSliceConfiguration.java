package io.memdoctor.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.memdoctor.cluster.Clusters;
import io.memdoctor.scans.web.ScanFormats;
import io.memdoctor.security.SliceSecurity;
import io.memdoctor.web.Formats;
import org.mockito.Mockito;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What every {@link WebSlice} adds to the controllers: security, the {@code fmt} and {@code scanFmt} template
 * helpers, a fixed clock, and a {@link Clusters} that knows no cluster (the interceptor that sends a cluster's
 * instance page to its cluster page is a {@code WebMvcConfigurer}, which every slice picks up).
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({SliceSecurity.class, Formats.class, ScanFormats.class})
class WebSliceConfiguration {

    /** When every slice's "now" is. */
    static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");

    @Bean
    Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Bean
    Clusters clusters() {
        return Mockito.mock(Clusters.class);
    }
}
