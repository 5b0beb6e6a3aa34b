package io.memdoctor.scans;

import java.util.List;

import io.memdoctor.instances.AllowedTargets;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InvalidRedisUrlException;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.redis.ReplicationInfo;
import org.springframework.stereotype.Component;

/**
 * Which nodes a scan runs on: the instance itself, or (with {@code from: replica}) its least lagging online
 * replica, reached with the primary's credentials and TLS at the address the replica announced (checked against
 * {@code memdoctor.instances.allowed-targets} like any URL).
 */
@Component
class ScanTargets {

    private final RedisGateway gateway;
    private final AllowedTargets allowed;

    ScanTargets(RedisGateway gateway, AllowedTargets allowed) {
        this.gateway = gateway;
        this.allowed = allowed;
    }

    /**
     * The nodes to scan.
     *
     * @param from {@code null} for the primary
     * @throws ScanConflictException when a replica is asked for and none is online (409)
     */
    Plan plan(Instance instance, ScanSource from) {
        String address = address(instance);
        if (from != ScanSource.REPLICA) {
            return new Plan(false, ScanSource.PRIMARY,
                    List.of(new ScanTarget(address, ScanTarget.PRIMARY, null, instance, false)));
        }
        List<ReplicationInfo.Replica> online = replicas(instance).online();
        if (online.isEmpty()) {
            throw ScanConflictException.noReplica(instance.id().value());
        }
        ReplicationInfo.Replica replica = online.get(0);
        return new Plan(false, ScanSource.REPLICA, List.of(
                new ScanTarget(replica.address(), ScanTarget.REPLICA, address, replicaOf(instance, replica), false)));
    }

    /** Whether the instance is a cluster, scanned on every shard. */
    boolean isCluster(Instance instance) {
        return false;
    }

    /** Whether a scan from a replica can run: the instance has a replica online. */
    boolean replicaAvailable(Instance instance) {
        return !replicas(instance).online().isEmpty();
    }

    /** What INFO replication says of the instance's replicas (none when it cannot be read). */
    ReplicationInfo replicas(Instance instance) {
        try {
            return gateway.replication(instance);
        }
        catch (RedisFailure ex) {
            return new ReplicationInfo(null, List.of());
        }
    }

    private Instance replicaOf(Instance instance, ReplicationInfo.Replica replica) {
        try {
            Instance target = new Instance(instance.id(), instance.name(),
                    instance.url().atReplica(replica.host(), replica.port()), instance.source());
            allowed.check(target.url());
            return target;
        }
        catch (InvalidRedisUrlException ex) {
            throw ScanConflictException.unreachableReplica(replica.address(), ex.getMessage());
        }
    }

    static String address(Instance instance) {
        String host = instance.url().host();
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + instance.url().port();
    }

    /**
     * @param cluster whether these are the shards of a cluster (results merged, each key marked with its node)
     * @param from where the scan was asked to run
     * @param targets the nodes, one thread each
     */
    record Plan(boolean cluster, ScanSource from, List<ScanTarget> targets) {
    }
}
