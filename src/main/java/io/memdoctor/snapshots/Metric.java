package io.memdoctor.snapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The INFO fields a snapshot keeps: one list that drives parsing, the H2 columns, the per-minute rollups and the
 * JSON names. A field the sampled Redis does not report stays {@code null}, never 0.
 *
 * <p>Column names are the INFO names; JSON names are the INFO names in camelCase. Adding a constant needs a
 * migration that adds its column (and, for numbers, its {@code _min/_avg/_max} rollup columns) to {@code snapshot} and
 * to each rollup table: {@code snapshot_minute}, {@code snapshot_ten_minute}, {@code snapshot_hour}; and its column to
 * {@code snapshot_latest}.
 */
public enum Metric {

    // server, clients
    REDIS_VERSION("server", "redis_version", Kind.TEXT),
    /** "valkey" on Valkey (which reports redis_version 7.2.4 for compatibility); absent on Redis. */
    SERVER_NAME("server", "server_name", Kind.TEXT),
    VALKEY_VERSION("server", "valkey_version", Kind.TEXT),
    UPTIME_IN_SECONDS("server", "uptime_in_seconds", Kind.LONG),
    CONNECTED_CLIENTS("clients", "connected_clients", Kind.LONG),
    BLOCKED_CLIENTS("clients", "blocked_clients", Kind.LONG),
    CLIENT_RECENT_MAX_OUTPUT_BUFFER("clients", "client_recent_max_output_buffer", Kind.LONG),

    // memory
    USED_MEMORY("memory", "used_memory", Kind.LONG),
    USED_MEMORY_RSS("memory", "used_memory_rss", Kind.LONG),
    USED_MEMORY_PEAK("memory", "used_memory_peak", Kind.LONG),
    USED_MEMORY_PEAK_TIME("memory", "used_memory_peak_time", Kind.LONG),
    USED_MEMORY_OVERHEAD("memory", "used_memory_overhead", Kind.LONG),
    USED_MEMORY_STARTUP("memory", "used_memory_startup", Kind.LONG),
    USED_MEMORY_DATASET("memory", "used_memory_dataset", Kind.LONG),
    TOTAL_SYSTEM_MEMORY("memory", "total_system_memory", Kind.LONG),
    MAXMEMORY("memory", "maxmemory", Kind.LONG),
    MAXMEMORY_POLICY("memory", "maxmemory_policy", Kind.TEXT),
    MEM_ALLOCATOR("memory", "mem_allocator", Kind.TEXT),
    ALLOCATOR_ALLOCATED("memory", "allocator_allocated", Kind.LONG),
    ALLOCATOR_ACTIVE("memory", "allocator_active", Kind.LONG),
    ALLOCATOR_RESIDENT("memory", "allocator_resident", Kind.LONG),
    ALLOCATOR_FRAG_RATIO("memory", "allocator_frag_ratio", Kind.DOUBLE),
    ALLOCATOR_FRAG_BYTES("memory", "allocator_frag_bytes", Kind.LONG),
    ALLOCATOR_RSS_RATIO("memory", "allocator_rss_ratio", Kind.DOUBLE),
    ALLOCATOR_RSS_BYTES("memory", "allocator_rss_bytes", Kind.LONG),
    RSS_OVERHEAD_RATIO("memory", "rss_overhead_ratio", Kind.DOUBLE),
    RSS_OVERHEAD_BYTES("memory", "rss_overhead_bytes", Kind.LONG),
    MEM_FRAGMENTATION_RATIO("memory", "mem_fragmentation_ratio", Kind.DOUBLE),
    MEM_FRAGMENTATION_BYTES("memory", "mem_fragmentation_bytes", Kind.LONG),
    MEM_NOT_COUNTED_FOR_EVICT("memory", "mem_not_counted_for_evict", Kind.LONG),
    MEM_REPLICATION_BACKLOG("memory", "mem_replication_backlog", Kind.LONG),
    MEM_CLIENTS_SLAVES("memory", "mem_clients_slaves", Kind.LONG),
    MEM_CLIENTS_NORMAL("memory", "mem_clients_normal", Kind.LONG),
    MEM_AOF_BUFFER("memory", "mem_aof_buffer", Kind.LONG),
    /** Redis 7.0+: replica output buffers and the backlog share one buffer; this is its size. */
    MEM_TOTAL_REPLICATION_BUFFERS("memory", "mem_total_replication_buffers", Kind.LONG),
    MEM_CLUSTER_LINKS("memory", "mem_cluster_links", Kind.LONG),
    /** Redis 7.4+: the second hash table of a keyspace dict while it rehashes. */
    MEM_OVERHEAD_DB_HASHTABLE_REHASHING("memory", "mem_overhead_db_hashtable_rehashing", Kind.LONG),
    /** The script cache (EVAL bodies and functions) inside used_memory_overhead. */
    USED_MEMORY_SCRIPTS("memory", "used_memory_scripts", Kind.LONG),
    /** The Lua VM of EVAL scripts; counted in used_memory from Redis 7.4 on. */
    USED_MEMORY_VM_EVAL("memory", "used_memory_vm_eval", Kind.LONG),
    ALLOCATOR_MUZZY("memory", "allocator_muzzy", Kind.LONG),
    NUMBER_OF_CACHED_SCRIPTS("memory", "number_of_cached_scripts", Kind.LONG),
    ACTIVE_DEFRAG_RUNNING("memory", "active_defrag_running", Kind.LONG),
    LAZYFREE_PENDING_OBJECTS("memory", "lazyfree_pending_objects", Kind.LONG),

    // persistence
    RDB_BGSAVE_IN_PROGRESS("persistence", "rdb_bgsave_in_progress", Kind.LONG),
    AOF_REWRITE_IN_PROGRESS("persistence", "aof_rewrite_in_progress", Kind.LONG),
    AOF_ENABLED("persistence", "aof_enabled", Kind.LONG),
    RDB_CHANGES_SINCE_LAST_SAVE("persistence", "rdb_changes_since_last_save", Kind.LONG),
    RDB_LAST_SAVE_TIME("persistence", "rdb_last_save_time", Kind.LONG),
    RDB_LAST_BGSAVE_STATUS("persistence", "rdb_last_bgsave_status", Kind.TEXT),
    RDB_LAST_BGSAVE_TIME_SEC("persistence", "rdb_last_bgsave_time_sec", Kind.LONG),
    CURRENT_FORK_PERC("persistence", "current_fork_perc", Kind.DOUBLE),
    CURRENT_COW_SIZE("persistence", "current_cow_size", Kind.LONG),
    CURRENT_COW_PEAK("persistence", "current_cow_peak", Kind.LONG),
    RDB_LAST_COW_SIZE("persistence", "rdb_last_cow_size", Kind.LONG),
    AOF_LAST_COW_SIZE("persistence", "aof_last_cow_size", Kind.LONG),

    // stats
    TOTAL_FORKS("stats", "total_forks", Kind.LONG),
    LATEST_FORK_USEC("stats", "latest_fork_usec", Kind.LONG),
    EVICTED_KEYS("stats", "evicted_keys", Kind.LONG),
    EXPIRED_KEYS("stats", "expired_keys", Kind.LONG),
    EXPIRED_STALE_PERC("stats", "expired_stale_perc", Kind.DOUBLE),
    KEYSPACE_HITS("stats", "keyspace_hits", Kind.LONG),
    KEYSPACE_MISSES("stats", "keyspace_misses", Kind.LONG),
    ACTIVE_DEFRAG_HITS("stats", "active_defrag_hits", Kind.LONG),
    ACTIVE_DEFRAG_MISSES("stats", "active_defrag_misses", Kind.LONG),
    TOTAL_EVICTION_EXCEEDED_TIME("stats", "total_eviction_exceeded_time", Kind.LONG),
    EVICTED_CLIENTS("stats", "evicted_clients", Kind.LONG),
    EVICTED_SCRIPTS("stats", "evicted_scripts", Kind.LONG),
    EXPIRED_SUBKEYS("stats", "expired_subkeys", Kind.LONG),
    SYNC_FULL("stats", "sync_full", Kind.LONG),

    // replication; the replicas_* fields are computed from the slaveN lines
    ROLE("replication", "role", Kind.TEXT),
    CONNECTED_SLAVES("replication", "connected_slaves", Kind.LONG),
    MASTER_REPL_OFFSET("replication", "master_repl_offset", Kind.LONG),
    REPL_BACKLOG_SIZE("replication", "repl_backlog_size", Kind.LONG),
    /** The furthest-behind replica: master_repl_offset minus its offset, in bytes. */
    REPLICAS_MAX_LAG_BYTES("replication", "replicas_max_lag_bytes", Kind.LONG),
    /** Replicas whose state is not online (wait_bgsave, send_bulk: a full sync). */
    REPLICAS_NOT_ONLINE("replication", "replicas_not_online", Kind.LONG),

    // errorstats: writes refused at maxmemory under noeviction
    ERRORSTAT_OOM("errorstats", "errorstat_OOM", Kind.LONG),

    // keyspace, summed over all databases, and DBSIZE of the instance's own database
    KEYS("keyspace", "keys", Kind.LONG),
    EXPIRES("keyspace", "expires", Kind.LONG),
    /** Redis 7.4+: hash fields with a TTL; absent on servers without them. */
    SUBEXPIRY("keyspace", "subexpiry", Kind.LONG),
    DBSIZE("keyspace", "dbsize", Kind.LONG);

    /** How a value is typed. */
    public enum Kind { LONG, DOUBLE, TEXT }

    private static final List<Metric> ALL = List.of(values());
    private static final Map<String, Metric> BY_JSON_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Metric::jsonName, Function.identity()));

    private final String section;
    private final String infoName;
    private final Kind kind;
    private final String column;
    private final String jsonName;

    Metric(String section, String infoName, Kind kind) {
        this.section = section;
        this.infoName = infoName;
        this.kind = kind;
        String lower = infoName.toLowerCase(Locale.ROOT);
        // KEYS is reserved in some SQL dialects: prefix the keyspace sums
        this.column = section.equals("keyspace") && !infoName.equals("dbsize") ? "keyspace_" + lower : lower;
        this.jsonName = camelCase(lower);
    }

    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            }
            else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The INFO section the field comes from. */
    public String section() {
        return section;
    }

    /** The field's name in INFO. */
    public String infoName() {
        return infoName;
    }

    public Kind kind() {
        return kind;
    }

    /** The H2 column of raw samples. */
    public String column() {
        return column;
    }

    /** The JSON property name: the INFO name in camelCase. */
    public String jsonName() {
        return jsonName;
    }

    public boolean numeric() {
        return kind != Kind.TEXT;
    }

    /** Every metric, in declaration order (unlike {@link #values()}, no copy per call). */
    public static List<Metric> all() {
        return ALL;
    }

    /**
     * The metrics named in a comma-separated list of JSON names ({@code usedMemory,totalForks}), in that order.
     *
     * @throws IllegalArgumentException for an empty list or a name that is not a metric (400)
     */
    public static List<Metric> byJsonNames(String names) {
        List<Metric> out = new ArrayList<>();
        for (String name : names.split(",", -1)) {
            String wanted = name.strip();
            Metric metric = BY_JSON_NAME.get(wanted);
            if (metric == null) {
                String shown = wanted.length() > 60 ? wanted.substring(0, 60) + "…" : wanted;
                throw new IllegalArgumentException("'fields': '" + shown + "' is not a metric; fields are INFO names"
                        + " in camelCase, such as usedMemory or memFragmentationRatio (the latest sample lists them"
                        + " all)");
            }
            if (!out.contains(metric)) {
                out.add(metric);
            }
        }
        return out;
    }
}
