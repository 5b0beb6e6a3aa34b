package io.memdoctor.redis;

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

/**
 * The certificates {@code rediss://} servers may present, loaded once from {@code memdoctor.tls.ca-certificates}
 * and used by both clients: Lettuce and the scan's RESP client. Without the file, the JVM's trust store decides.
 */
public final class RedisTls {

    private final TrustManagerFactory trust;
    private final SSLSocketFactory sockets;

    private RedisTls(TrustManagerFactory trust, SSLSocketFactory sockets) {
        this.trust = trust;
        this.sockets = sockets;
    }

    /** Trusts the certificates of a PEM file (certificate authorities or self-signed); the JVM's when null. */
    public static RedisTls trusting(Path pem) {
        if (pem == null) {
            return new RedisTls(null, null);
        }
        try (InputStream certificates = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(certificates)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new RedisTls(trust, context.getSocketFactory());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("memdoctor.tls.ca-certificates: cannot read " + pem + ": "
                    + ex.getMessage(), ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("memdoctor.tls.ca-certificates: cannot trust the certificates in " + pem
                    + ": " + ex.getMessage(), ex);
        }
    }

    /** For Lettuce; {@code null} for the JVM's trust store. */
    TrustManagerFactory trustManagers() {
        return trust;
    }

    /** For the RESP client; {@code null} for the JVM's default. */
    public SSLSocketFactory socketFactory() {
        return sockets;
    }
}
