package io.memdoctor.scans.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.memdoctor.redis.resp.RespConnection;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key names over 1 KiB are measured like any key and kept shortened in the results; one over the scan's 1 MiB
 * bulk limit fails the scan with a reason naming the limit.
 */
class LongKeyNamesTests {

    static final RedisServer server = RedisServer.start();

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void longNamesAreMeasuredAndKeptAsAPrefixWithLengthAndHash() throws IOException {
        String prefix = "long:" + "x".repeat(1495);
        try (RespConnection redis = KeyspaceScannerTests.open(server)) {
            command(redis, "FLUSHALL");
            for (int i = 0; i < 3; i++) {
                command(redis, "SET", prefix + i, "value-" + i);
            }
            command(redis, "RPUSH", "short", "a", "b");
        }
        KeyspaceScannerTests.Run run = KeyspaceScannerTests.scan(server, ScanParameters.defaults());

        assertThat(run.outcome().status()).isEqualTo(ScanStatus.DONE);
        assertThat(run.results().keys()).isEqualTo(4);
        List<String> names = run.results().topKeys().stream().map(ScanResults.KeyEntry::key).toList();
        assertThat(names).contains("short");
        List<String> shortened = names.stream().filter(KeyNames::isShortened).toList();
        assertThat(shortened).hasSize(3).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).startsWith(prefix.substring(0, 256) + "…[1501 bytes, sha256 ")
                        .hasSizeLessThan(320));
        assertThat(run.results().topKeys()).filteredOn(key -> KeyNames.isShortened(key.key()))
                .allSatisfy(key -> assertThat(key.elements()).isEqualTo(7));
    }

    @Test
    void aNameOverTheBulkLimitFailsTheScanNamingTheLimit() throws IOException {
        try (RespConnection redis = KeyspaceScannerTests.open(server)) {
            command(redis, "FLUSHALL");
            command(redis, "SET", "k".repeat((1 << 20) + 1), "v");
        }
        KeyspaceScannerTests.Run run = KeyspaceScannerTests.scan(server, ScanParameters.defaults());

        assertThat(run.outcome().status()).isEqualTo(ScanStatus.FAILED);
        assertThat(run.outcome().error()).contains("a bulk string of 1048577 bytes (limit 1048576)")
                .contains("memdoctor.redis.scans.max-bulk");
    }

    private static void command(RespConnection redis, String... arguments) throws IOException {
        redis.begin(arguments.length);
        for (String argument : arguments) {
            redis.argument(argument.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(redis.read()).isNotEqualTo(RespConnection.ERROR);
    }
}
