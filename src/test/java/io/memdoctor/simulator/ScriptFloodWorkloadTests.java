package io.memdoctor.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The script-cache scenario makes a script cache that grows on every server: EVAL where EVAL scripts are kept,
 * SCRIPT LOAD + EVALSHA where the server evicts EVAL scripts past 500 (Redis 7.4+, Valkey 8), which would otherwise
 * leave the cache bounded and the scenario without an incident.
 */
class ScriptFloodWorkloadTests {

    @Test
    void theScriptCacheGrowsOnRedis70WhereEvalScriptsAreKept() throws Exception {
        Map<String, Long> after = flood(null);
        assertThat(after).doesNotContainKey("evicted_scripts");
        assertThat(after.get("number_of_cached_scripts")).isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void theScriptCacheGrowsOnRedis74WhereEvalScriptsAreEvicted() throws Exception {
        Path binary = Path.of("..", "shared", "redis-builds", "redis-server-7.4.1").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isExecutable(binary), "no " + binary);
        Map<String, Long> after = flood(binary);
        assertThat(after.get("evicted_scripts")).isZero();
        assertThat(after.get("number_of_cached_scripts")).isGreaterThanOrEqualTo(2_000);
        assertThat(after.get("used_memory_scripts")).isGreaterThan(1_000_000);
    }

    /** Runs the scenario until 2,000 scripts are cached or 20 s passed; INFO's script fields then. */
    private static Map<String, Long> flood(Path binary) throws Exception {
        List<String> args = Scenario.SCRIPT_CACHE.serverArgs();
        try (LocalRedisServer redis = binary == null ? LocalRedisServer.start(args) : LocalRedisServer.start(binary, args);
                ScenarioRun run = ScenarioRun.prepare(Scenario.SCRIPT_CACHE, redis).start()) {
            long deadline = System.currentTimeMillis() + 20_000;
            Map<String, Long> fields = info(redis);
            while (fields.getOrDefault("number_of_cached_scripts", 0L) < 2_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
                fields = info(redis);
            }
            return fields;
        }
    }

    private static Map<String, Long> info(LocalRedisServer redis) throws Exception {
        Process cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(redis.port()), "INFO").start();
        Map<String, Long> fields = new TreeMap<>();
        for (String line : new String(cli.getInputStream().readAllBytes()).split("\r?\n")) {
            String[] kv = line.split(":", 2);
            if (kv.length == 2 && List.of("number_of_cached_scripts", "evicted_scripts", "used_memory_scripts").contains(kv[0])) {
                fields.put(kv[0], Long.parseLong(kv[1].strip()));
            }
        }
        cli.waitFor();
        return fields;
    }
}
