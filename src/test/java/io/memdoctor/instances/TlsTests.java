package io.memdoctor.instances;

import io.memdoctor.sampling.Sampler;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code rediss://} against a private TLS-only redis-server whose self-signed certificate the test makes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext
class TlsTests {

    static final RedisServer secure = RedisServer.startTls("--requirepass", "tls-Secret-1");

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        registry.add("memdoctor.tls.ca-certificates", () -> secure.certificate().toString());
    }

    @AfterAll
    static void stop() {
        secure.close();
    }

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Test
    void samplesOverTlsWhenTheCertificateIsTrusted() {
        secure.cli("-a", "tls-Secret-1", "--no-auth-warning", "SET", "over", "tls");
        Instance instance = instances.add("secure", "rediss://:tls-Secret-1@127.0.0.1:" + secure.port());
        assertThat(instance.url().redacted()).isEqualTo("rediss://:***@127.0.0.1:" + secure.port());

        Snapshot snapshot = sampler.sample(instance);

        assertThat(snapshot.status()).as(snapshot.error()).isEqualTo(SnapshotStatus.OK);
        assertThat(snapshot.getLong(Metric.KEYS)).isEqualTo(1L);
    }

    @Test
    void plainRedisUrlToATlsPortIsReportedNotHung() {
        Instance plain = instances.add("plain", "redis://:tls-Secret-1@127.0.0.1:" + secure.port());
        Snapshot snapshot = sampler.sample(plain);
        assertThat(snapshot.status()).isNotEqualTo(SnapshotStatus.OK);
        assertThat(snapshot.error()).isNotBlank().doesNotContain("tls-Secret-1");
    }
}
