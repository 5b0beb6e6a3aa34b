package io.memdoctor.scans.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.memdoctor.scans.engine.KeyNames;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixes name the key so that the command can be pasted into redis-cli as it is, whatever the key's bytes. */
class KeyAdviceTests {

    static final List<byte[]> KEYS = List.of(
            bytes("queue:events"),
            bytes("<img src=x onerror=alert(1)>"),
            bytes("=HYPERLINK(\"x\")"),
            bytes("it's a \\ key"),
            bytes("line\nbreak\ttab"),
            new byte[] {'b', 'i', 'n', ':', (byte) 0xff, (byte) 0x00, (byte) 0xc3});

    @Test
    void plainNamesStayPlainAndTheRestAreQuoted() {
        assertThat(KeyNames.cliArgument("queue:events")).isEqualTo("queue:events");
        assertThat(KeyNames.cliArgument("<img src=x onerror=alert(1)>")).isEqualTo("\"<img src=x onerror=alert(1)>\"");
        assertThat(KeyAdvice.fixes(new ScanResults.KeyEntry("a b", "list", 10_000_000L, 200_000L, -1)))
                .anyMatch(fix -> fix.contains("LTRIM \"a b\" 0 999")).anyMatch(fix -> fix.contains("EXPIRE \"a b\" 86400"));
    }

    /** redis-cli itself is the oracle: each argument, typed into it, names exactly the key that exists. */
    @Test
    void redisCliReadsEachArgumentBackIntoTheSameKey() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            try (RedisPipe pipe = RedisPipe.to(redis)) {
                for (byte[] key : KEYS) {
                    pipe.raw(bytes("SET"), key, bytes("v"));
                }
            }
            StringBuilder typed = new StringBuilder();
            for (byte[] key : KEYS) {
                typed.append("EXISTS ").append(KeyNames.cliArgument(KeyNames.escape(key))).append('\n');
            }
            assertThat(typedInto(redis, typed.toString()).strip().split("\n")).hasSize(KEYS.size())
                    .containsOnly("1");
        }
    }

    private static String typedInto(RedisServer redis, String lines) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port())).redirectErrorStream(true)
                .start();
        try (OutputStream in = cli.getOutputStream()) {
            in.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
