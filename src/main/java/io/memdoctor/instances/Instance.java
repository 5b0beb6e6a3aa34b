package io.memdoctor.instances;

import java.util.Objects;

/**
 * A Redis that the dashboard watches.
 *
 * @param id slug of the name
 * @param name display name
 * @param url where it is (its {@code toString} is redacted); for a cluster, the seed it was added with
 * @param source whether it came from configuration or was added at runtime
 * @param kind a server (sampled) or a cluster (an aggregate of its nodes, not sampled itself)
 * @param cluster for a node of a cluster, the cluster's id; {@code null} otherwise
 * @param memoryLimit the memory limit declared for it in bytes (its container's limit, see {@link MemoryLimit}),
 *     {@code null} when none is declared
 */
public record Instance(InstanceId id, String name, RedisUrl url, Source source, Kind kind, InstanceId cluster,
        Long memoryLimit) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CLUSTER && cluster != null) {
            throw new IllegalArgumentException("a cluster is not a node of another cluster");
        }
    }

    /** Without a declared memory limit. */
    public Instance(InstanceId id, String name, RedisUrl url, Source source, Kind kind, InstanceId cluster) {
        this(id, name, url, source, kind, cluster, null);
    }

    /** A server that belongs to no cluster. */
    public Instance(InstanceId id, String name, RedisUrl url, Source source) {
        this(id, name, url, source, Kind.SERVER, null);
    }

    /** Whether this is a cluster (the aggregate: its nodes are instances of their own). */
    public boolean isCluster() {
        return kind == Kind.CLUSTER;
    }

    /** Whether samples are taken of it: every server, never a cluster (its nodes are sampled instead). */
    public boolean sampled() {
        return kind == Kind.SERVER;
    }

    /** Whether this is a node of a cluster. */
    public boolean isNode() {
        return cluster != null;
    }

    /** The same instance as a cluster. */
    public Instance asCluster() {
        return new Instance(id, name, url, source, Kind.CLUSTER, null, memoryLimit);
    }

    /** The same instance with another declared memory limit ({@code null}: none). */
    public Instance withMemoryLimit(Long bytes) {
        return new Instance(id, name, url, source, kind, cluster, bytes);
    }

    /** Where an instance was defined. */
    public enum Source {
        /** {@code memdoctor.instances[N]}: written back to the store at every start. */
        CONFIG,
        /** Added from the page or the API. */
        RUNTIME,
        /** A node found in the topology of a cluster (its {@link Instance#cluster()}). */
        DISCOVERED
    }

    /** What an instance is. */
    public enum Kind {
        /** One {@code redis-server} (standalone, replica, or a node of a cluster): sampled. */
        SERVER,
        /** A Redis Cluster, added from one seed URL: its nodes are servers of their own. */
        CLUSTER
    }
}
