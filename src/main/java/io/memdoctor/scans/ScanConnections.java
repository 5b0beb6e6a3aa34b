package io.memdoctor.scans;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.instances.Instance;
import io.memdoctor.scans.engine.RespConnection;
import org.springframework.stereotype.Component;

/**
 * Connections for scans: the scan engine's own pipelined RESP client ({@link RespConnection}), not Lettuce,
 * because Lettuce's per-command path cost more CPU than Redis itself at millions of commands (see
 * docs/decisions.md). Each scan opens one and closes it. {@code rediss://} trusts the same certificates as the
 * sampling connections ({@code memdoctor.tls.ca-certificates}, else the JVM's trust store) and verifies the host
 * name. The password goes from the URL to AUTH and nowhere else.
 */
@Component
class ScanConnections {

    private final ScanProperties properties;
    private final SSLSocketFactory tls;

    ScanConnections(ScanProperties properties, MemDoctorProperties memDoctor) {
        this.properties = properties;
        this.tls = memDoctor.tls().caCertificates() == null ? null : trusting(memDoctor.tls().caCertificates());
    }

    /** A new connection, authenticated and on the URL's database; the caller closes it. */
    RespConnection open(Instance instance) throws IOException {
        return RespConnection.open(instance.url(), tls, properties.timeout());
    }

    /** A TLS socket factory that trusts the certificates of a PEM file. */
    static SSLSocketFactory trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read memdoctor.tls.ca-certificates " + pem, ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot use memdoctor.tls.ca-certificates " + pem + ": " + ex.getMessage(),
                    ex);
        }
    }
}
