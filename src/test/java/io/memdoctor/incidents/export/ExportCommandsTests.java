package io.memdoctor.incidents.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.ScanAttachment;
import io.memdoctor.scans.engine.KeyNames;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Markdown export's commands, copied from the file as they are, run in a shell against the instance of the
 * incident: they reach the keys they name and run nothing else; a redacted export names no key, so it shows none.
 */
class ExportCommandsTests {

    @TempDir
    Path dir;

    @Test
    void markdownCommandsPasteIntoAShellAsTheyAre() throws Exception {
        Path marker = dir.resolve("ran");
        List<byte[]> keys = List.of(bytes("$(touch " + marker + ")"), bytes("`touch " + marker + "`"),
                bytes("it's \"quoted\" | `md`"), bytes("line\nbreak"));
        try (RedisServer redis = RedisServer.start()) {
            try (RedisPipe pipe = RedisPipe.to(redis)) {
                for (byte[] key : keys) {
                    pipe.raw(bytes("SET"), key, bytes("v".repeat(70_000)));
                }
            }
            List<ScanResults.KeyEntry> top = keys.stream()
                    .map(k -> new ScanResults.KeyEntry(KeyNames.escape(k), "string", 70_100L, 70_000L, -1)).toList();
            Incident incident = incident(redis.url(), top);
            MarkdownExport markdown = new MarkdownExport(JsonMapper.builder().build());

            String md = markdown.render(incident, false);
            int start = md.indexOf("```sh\n");
            assertThat(start).as(md).isPositive();
            List<String> lines = md.substring(start + 6, md.indexOf("\n```", start)).lines().toList();
            assertThat(lines).hasSize(keys.size()).allSatisfy(line -> assertThat(line)
                    .startsWith("redis-cli -h 127.0.0.1 -p " + redis.port() + " ").contains(" EXPIRE "));
            for (String line : lines) {
                assertThat(sh(line)).as(line).isEqualTo("1");
            }
            for (byte[] key : keys) {
                String ttl = redis.cli("--no-raw", "TTL", new String(key, StandardCharsets.UTF_8));
                assertThat(ttl).as(KeyNames.escape(key)).startsWith("(integer) 86");
            }
            assertThat(redis.cli("DBSIZE").strip()).isEqualTo(Integer.toString(keys.size()));

            assertThat(markdown.render(incident, true)).doesNotContain("```sh").doesNotContain("EXPIRE");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("nothing in a key name ran").isEmpty();
        }
    }

    private static Incident incident(String url, List<ScanResults.KeyEntry> top) {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        ScanResults results = new ScanResults(top.size(), 0, 0, 70_100L * top.size(), 0, true, null, top, Map.of(),
                Map.of(), List.of(), List.of());
        Capture capture = new Capture(Map.of(), List.of(), null, List.of(),
                new ScanAttachment("scan-1", "DONE", now, now, null, results));
        return new Incident("i-1", "hostile", "hostile", url, "keys with shell in their names", null, now,
                now.minusSeconds(3600), now, false, null, capture, new ArrayList<>());
    }

    private static String sh(String line) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).start();
        shell.getOutputStream().close();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output.strip();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
