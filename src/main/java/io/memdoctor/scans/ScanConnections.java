package io.memdoctor.scans;

import io.memdoctor.instances.Instance;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.redis.resp.RespConnection;
import org.springframework.stereotype.Component;

/**
 * Connections for scans, opened by the gateway: the scan engine's own pipelined RESP client, not Lettuce, because
 * Lettuce's per-command path cost more CPU than Redis itself at millions of commands (see docs/decisions.md). Each
 * scan opens one and closes it; every reply is bounded by {@code memdoctor.scans.timeout} and the scan's reply
 * limits ({@code memdoctor.redis.scans.*}).
 */
@Component
class ScanConnections {

    private final RedisGateway gateway;
    private final ScanProperties properties;

    ScanConnections(RedisGateway gateway, ScanProperties properties) {
        this.gateway = gateway;
        this.properties = properties;
    }

    /**
     * A new connection, authenticated and on the URL's database; the caller closes it.
     *
     * @throws io.memdoctor.redis.RedisFailure when it cannot be opened
     */
    RespConnection open(Instance instance) {
        return gateway.openScan(instance, properties.timeout());
    }

    /** A new connection to one node of a scan ({@code READONLY} first on a cluster replica). */
    RespConnection open(ScanTarget target) {
        return gateway.openScan(target.connection(), properties.timeout(), target.readOnly());
    }
}
