package io.memdoctor.snapshots;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InfoParserTests {

    @Test
    void readsEveryFieldOfARealRedis70Info() throws IOException {
        String info = resource("/info/redis-7.0.15.txt");
        Map<Metric, Object> values = InfoParser.metrics(info, 0L);

        Map<String, String> fields = InfoParser.fields(info);
        assertThat(values.get(Metric.USED_MEMORY)).isEqualTo(Long.parseLong(fields.get("used_memory")));
        assertThat(values.get(Metric.MEM_FRAGMENTATION_RATIO))
                .isEqualTo(Double.parseDouble(fields.get("mem_fragmentation_ratio")));
        assertThat(values.get(Metric.MAXMEMORY_POLICY)).isEqualTo(fields.get("maxmemory_policy"));
        assertThat(values.get(Metric.REDIS_VERSION)).isEqualTo("7.0.15");
        // every field this product keeps is reported by 7.0, except those of newer servers, which stay absent
        java.util.Set<Metric> newer = java.util.EnumSet.of(Metric.SERVER_NAME, Metric.VALKEY_VERSION,
                Metric.USED_MEMORY_PEAK_TIME, Metric.MEM_OVERHEAD_DB_HASHTABLE_REHASHING, Metric.ALLOCATOR_MUZZY,
                Metric.EVICTED_SCRIPTS, Metric.EXPIRED_SUBKEYS, Metric.SUBEXPIRY);
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.EnumSet.complementOf(java.util.EnumSet.copyOf(newer)));
        assertThat(values).containsEntry(Metric.REPLICAS_MAX_LAG_BYTES, 0L).containsEntry(Metric.ROLE, "master");
        // an empty keyspace section and no OOM error line mean zero, not unknown
        assertThat(values.get(Metric.KEYS)).isEqualTo(0L);
        assertThat(values.get(Metric.ERRORSTAT_OOM)).isEqualTo(0L);
    }

    @Test
    void readsTheNewerMemoryFieldsOfRedis74() throws IOException {
        Map<Metric, Object> values = InfoParser.metrics(resource("/info/redis-7.4.1.txt"), null);
        assertThat(values).containsEntry(Metric.REDIS_VERSION, "7.4.1").containsEntry(Metric.ALLOCATOR_MUZZY, 0L)
                .containsEntry(Metric.MEM_OVERHEAD_DB_HASHTABLE_REHASHING, 0L).containsEntry(Metric.EVICTED_SCRIPTS, 0L)
                .containsEntry(Metric.EXPIRED_SUBKEYS, 0L).containsEntry(Metric.MEM_TOTAL_REPLICATION_BUFFERS, 0L)
                .containsEntry(Metric.MEM_CLUSTER_LINKS, 0L).containsEntry(Metric.KEYS, 2L)
                // one hash field with a TTL (HEXPIRE) in the captured server
                .containsEntry(Metric.SUBEXPIRY, 1L);
        assertThat((Long) values.get(Metric.USED_MEMORY_SCRIPTS)).isPositive();
        assertThat(values).doesNotContainKeys(Metric.SERVER_NAME, Metric.VALKEY_VERSION);
    }

    @Test
    void knowsValkeyByItsOwnNameAndVersion() throws IOException {
        Map<Metric, Object> values = InfoParser.metrics(resource("/info/valkey-8.0.1.txt"), null);
        // Valkey answers redis_version 7.2.4 for compatibility; the real identity is in server_name / valkey_version
        assertThat(values).containsEntry(Metric.REDIS_VERSION, "7.2.4").containsEntry(Metric.SERVER_NAME, "valkey")
                .containsEntry(Metric.VALKEY_VERSION, "8.0.1").containsEntry(Metric.ALLOCATOR_MUZZY, 0L);
        // no hash-field TTL in Valkey 8.0: absent, not 0
        assertThat(values).doesNotContainKeys(Metric.SUBEXPIRY, Metric.EXPIRED_SUBKEYS);
    }

    @Test
    void measuresTheFurthestReplicaAndCountsTheOnesInAFullSync() {
        String info = String.join("\r\n", "# Replication", "role:master", "connected_slaves:3",
                "slave0:ip=10.0.0.2,port=6379,state=online,offset=9000,lag=0",
                "slave1:ip=10.0.0.3,port=6379,state=online,offset=4000,lag=7",
                "slave2:ip=10.0.0.4,port=6379,state=wait_bgsave,offset=0,lag=0",
                "master_repl_offset:10000", "repl_backlog_size:1048576", "");
        Map<Metric, Object> values = InfoParser.metrics(info, null);
        assertThat(values).containsEntry(Metric.REPLICAS_MAX_LAG_BYTES, 6000L)
                .containsEntry(Metric.REPLICAS_NOT_ONLINE, 1L).containsEntry(Metric.CONNECTED_SLAVES, 3L)
                .containsEntry(Metric.REPL_BACKLOG_SIZE, 1048576L);
        // a replica reports no replicas of its own: absent, not 0
        Map<Metric, Object> replica = InfoParser.metrics("# Replication\nrole:slave\nconnected_slaves:0\n"
                + "master_repl_offset:10000\n", null);
        assertThat(replica).doesNotContainKeys(Metric.REPLICAS_MAX_LAG_BYTES, Metric.REPLICAS_NOT_ONLINE);
    }

    @Test
    void sumsKeyspaceOverDatabasesAndReadsOomErrors() {
        String info = String.join("\r\n", "# Memory", "used_memory:1024", "mem_fragmentation_ratio:1.52",
                "# Errorstats", "errorstat_ERR:count=3", "errorstat_OOM:count=17", "# Keyspace",
                "db0:keys=100,expires=40,avg_ttl=1000", "db3:keys=5,expires=5,avg_ttl=0", "");
        Map<Metric, Object> values = InfoParser.metrics(info, 100L);
        assertThat(values).containsEntry(Metric.KEYS, 105L).containsEntry(Metric.EXPIRES, 45L)
                .containsEntry(Metric.ERRORSTAT_OOM, 17L).containsEntry(Metric.DBSIZE, 100L)
                .containsEntry(Metric.USED_MEMORY, 1024L).containsEntry(Metric.MEM_FRAGMENTATION_RATIO, 1.52);
    }

    @Test
    void fieldsAnOlderRedisDoesNotReportStayAbsentNotZero() {
        // Redis 3.2 had no allocator_* fields, no copy-on-write fields and no errorstats section
        String info = String.join("\n", "# Server", "redis_version:3.2.12", "# Memory", "used_memory:2048",
                "used_memory_rss:4096", "mem_fragmentation_ratio:2.00", "mem_allocator:jemalloc-4.0.3",
                "# Persistence", "rdb_bgsave_in_progress:0", "# Keyspace", "");
        Map<Metric, Object> values = InfoParser.metrics(info, null);
        assertThat(values).containsEntry(Metric.USED_MEMORY, 2048L).containsEntry(Metric.RDB_BGSAVE_IN_PROGRESS, 0L)
                .containsEntry(Metric.KEYS, 0L);
        assertThat(values).doesNotContainKeys(Metric.ALLOCATOR_FRAG_RATIO, Metric.CURRENT_COW_SIZE,
                Metric.RDB_LAST_COW_SIZE, Metric.ERRORSTAT_OOM, Metric.DBSIZE, Metric.USED_MEMORY_DATASET);
    }

    @Test
    void ignoresValuesThatAreNotNumbers() {
        Map<Metric, Object> values = InfoParser.metrics("# Memory\nused_memory:lots\nallocator_frag_ratio:nan\n", null);
        assertThat(values).doesNotContainKeys(Metric.USED_MEMORY, Metric.ALLOCATOR_FRAG_RATIO);
    }

    @Test
    void readsLinesAsTheRegexSplitDid() throws IOException {
        // the fields are read by hand (a regex split cost most of a sample's CPU): same fields as split("\r?\n")
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of(resource("/info/redis-7.0.15.txt"),
                resource("/info/redis-7.4.1.txt"), resource("/info/valkey-8.0.1.txt"),
                resource("/info/keysizes-8.x.txt"), "", "\n", "\r\n", "a:1", "a:1\r", "a:1\r\r\nb:2",
                ":no key\nk:\nk2: spaced \r\n#x:1\n\n  lead:1\nno colon\nc:d:e\r\nlast:1\r\n\r\n", "x\ry:1\n"));
        texts.add(texts.get(0).replace("\r\n", "\n"));
        for (String text : texts) {
            assertThat(InfoParser.fields(text)).as(text).isEqualTo(splitByRegex(text));
        }
        assertThat(InfoParser.metrics("# Keyspace\r\ndb0:keys=2,expires=1\r\ndb:keys=5\r\ndbx1:keys=7\r\n"
                + "db12:keys=3,expires=0\r\n", null)).containsEntry(Metric.KEYS, 5L).containsEntry(Metric.EXPIRES, 1L);
    }

    private static Map<String, String> splitByRegex(String info) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = InfoParserTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
