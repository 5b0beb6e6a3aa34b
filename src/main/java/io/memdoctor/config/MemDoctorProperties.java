package io.memdoctor.config;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code memdoctor.*} (the watched instances are {@code instances.ConfiguredInstances}).
 *
 * @param dataDir where the embedded H2 history database lives
 * @param sampling how often and how patiently INFO is sampled
 * @param retention how long raw samples and per-minute rollups are kept
 * @param tls how {@code rediss://} servers are trusted
 */
@ConfigurationProperties("memdoctor")
public record MemDoctorProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Sampling sampling,
        @DefaultValue Retention retention,
        @DefaultValue Tls tls) {

    /**
     * @param enabled whether samples are taken on a schedule (off in some tests, which sample on demand)
     * @param interval time between two samples of each instance
     * @param timeout how long one sample (connect, INFO, DBSIZE) may take before the instance is recorded as
     *     unreachable
     * @param maxBackoff longest wait between two samples of an instance that keeps failing: after a failure it is
     *     retried at the interval, then at twice, four times... the interval, up to this
     * @param maxInFlight most samples (connects included) running at once; more wait their turn, they do not fail
     */
    public record Sampling(@DefaultValue("true") boolean enabled, @DefaultValue("10s") Duration interval,
            @DefaultValue("2s") Duration timeout, @DefaultValue("5m") Duration maxBackoff,
            @DefaultValue("256") int maxInFlight) {

        public Sampling {
            if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("memdoctor.sampling.interval and timeout must be positive");
            }
            if (maxBackoff.isNegative() || maxInFlight < 1) {
                throw new IllegalArgumentException(
                        "memdoctor.sampling.max-backoff must not be negative and max-in-flight must be at least 1");
            }
        }
    }

    /**
     * @param caCertificates a PEM file of the certificate authorities (or self-signed certificates) that
     *     {@code rediss://} servers may present; without it, the JVM's default trust store decides (enough for
     *     managed services with public certificates)
     */
    public record Tls(Path caCertificates) {
    }

    /**
     * @param raw how long raw samples are kept (they are rolled up into per-minute rows first)
     * @param rollup how long per-minute min/avg/max rows are kept
     */
    public record Retention(@DefaultValue("7d") Duration raw, @DefaultValue("90d") Duration rollup) {

        public Retention {
            if (raw.compareTo(Duration.ofMinutes(5)) < 0 || rollup.compareTo(raw) < 0) {
                throw new IllegalArgumentException(
                        "memdoctor.retention.raw must be at least 5m and memdoctor.retention.rollup at least as long");
            }
        }
    }
}
