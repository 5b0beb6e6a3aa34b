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
        // every field this product keeps is reported by 7.0, so none may be missing
        assertThat(values.keySet()).containsExactlyInAnyOrder(Metric.values());
        // an empty keyspace section and no OOM error line mean zero, not unknown
        assertThat(values.get(Metric.KEYS)).isEqualTo(0L);
        assertThat(values.get(Metric.ERRORSTAT_OOM)).isEqualTo(0L);
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

    private static String resource(String name) throws IOException {
        try (InputStream in = InfoParserTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
