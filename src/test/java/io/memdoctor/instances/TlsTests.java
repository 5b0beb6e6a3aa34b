package io.memdoctor.instances;

import java.time.Duration;

import io.memdoctor.sampling.Sampler;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
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
@DirtiesContext // its own trusted certificate (memdoctor.tls.ca-certificates): a context only it uses
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

    @Autowired
    ScanService scans;

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
    void scansOverTlsWithThePasswordAndTheTrustedCertificate() throws InterruptedException {
        // database 1, emptied afterwards: the sampling test counts every key
        secure.cli("-a", "tls-Secret-1", "--no-auth-warning", "-n", "1", "EVAL",
                "for i = 1, 300 do redis.call('RPUSH', 'tls:list:' .. i, 'a', 'b') end", "0");
        Instance instance = instances.add("secure-scan", "rediss://:tls-Secret-1@127.0.0.1:" + secure.port() + "/1");

        ScanView scan = scans.start(instance.id().value(), ScanParameters.defaults());
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (scan.running() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                scan = scans.get(scan.id());
            }
        }
        finally {
            secure.cli("-a", "tls-Secret-1", "--no-auth-warning", "-n", "1", "FLUSHDB");
        }

        assertThat(scan.status()).as(scan.error()).isEqualTo(ScanStatus.DONE);
        assertThat(scan.results().byType().get("list").keys()).isEqualTo(300);
        assertThat(scan.results().byType().get("list").elements()).isEqualTo(600);
    }

    @Test
    void plainRedisUrlToATlsPortIsReportedNotHung() {
        Instance plain = instances.add("plain", "redis://:tls-Secret-1@127.0.0.1:" + secure.port());
        Snapshot snapshot = sampler.sample(plain);
        assertThat(snapshot.status()).isNotEqualTo(SnapshotStatus.OK);
        assertThat(snapshot.error()).isNotBlank().doesNotContain("tls-Secret-1");
    }
}
