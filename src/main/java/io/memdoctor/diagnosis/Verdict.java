package io.memdoctor.diagnosis;

/** What a memory history says happened, in the field guide's terms. */
public enum Verdict {
    /** The dataset climbed: more keys, keys that grow, or keys that lost their TTL. */
    DATA_GROWTH,
    /** used_memory flat or falling while RSS rose or stayed far above it: allocator overhead. */
    FRAGMENTATION,
    /** A BGSAVE or AOF rewrite copied pages while writes went on: temporary, host-level memory. */
    COPY_ON_WRITE,
    /** At maxmemory: keys evicted or writes refused with OOM. */
    MEMORY_PRESSURE,
    /** Output buffers of normal or pub/sub clients grew: a slow or stuck reader, not data. */
    CLIENT_BUFFERS,
    /** Replica output buffers or the backlog grew, or a replica lags or resyncs: not data. */
    REPLICATION,
    /** The Lua script cache grew: scripts built with values inside them, each cached for good. */
    SCRIPT_CACHE,
    /** Another part of the overhead grew: the AOF buffer, cluster links, a keyspace hash table rehashing. */
    OTHER_OVERHEAD,
    /** The server was upgraded (or replaced) between two samples: a step in memory that is not growth. */
    SERVER_UPGRADE,
    /** Nothing of the above in the range. */
    STABLE,
    /** Too few samples in the range to tell. */
    INSUFFICIENT_DATA;

    /** The panel's words for it. */
    public String label() {
        return switch (this) {
            case DATA_GROWTH -> "Data growth";
            case FRAGMENTATION -> "Fragmentation";
            case COPY_ON_WRITE -> "Copy-on-write";
            case MEMORY_PRESSURE -> "Memory pressure";
            case CLIENT_BUFFERS -> "Client buffers";
            case REPLICATION -> "Replication";
            case SCRIPT_CACHE -> "Script cache";
            case OTHER_OVERHEAD -> "Overhead";
            case SERVER_UPGRADE -> "Server upgrade";
            case STABLE -> "Stable";
            case INSUFFICIENT_DATA -> "Not enough data";
        };
    }

    /** The CSS class of its badge. */
    public String css() {
        return "verdict-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
