package io.memdoctor.scans;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.net.ssl.SSLSocketFactory;

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
        try {
            this.tls = memDoctor.tls().caCertificates() == null ? null
                    : RespConnection.trusting(memDoctor.tls().caCertificates());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("memdoctor.tls.ca-certificates: " + ex.getMessage(), ex);
        }
    }

    /** A new connection, authenticated and on the URL's database; the caller closes it. */
    RespConnection open(Instance instance) throws IOException {
        return RespConnection.open(instance.url(), tls, properties.timeout());
    }
}
