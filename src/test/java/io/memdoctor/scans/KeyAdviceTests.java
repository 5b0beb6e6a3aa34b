package io.memdoctor.scans;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.scans.engine.KeyNames;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixes name the key so that the command can be pasted as it is, whatever the key's bytes. */
class KeyAdviceTests {

    static final List<byte[]> KEYS = List.of(
            bytes("queue:events"),
            bytes("<img src=x onerror=alert(1)>"),
            bytes("=HYPERLINK(\"x\")"),
            bytes("it's a \\ key"),
            bytes("line\nbreak\ttab"),
            new byte[] {'b', 'i', 'n', ':', (byte) 0xff, (byte) 0x00, (byte) 0xc3});

    @TempDir
    Path dir;

    @Test
    void commandsQuoteTheKeyForAShell() {
        RedisCliCommand cli = RedisCliCommand.to(RedisUrl.of("redis://127.0.0.1:6379"));
        assertThat(KeyNames.cliArgument("queue:events")).isEqualTo("queue:events");
        assertThat(KeyNames.cliArgument("<img src=x onerror=alert(1)>")).isEqualTo("\"<img src=x onerror=alert(1)>\"");
        List<KeyAdvice.Fix> fixes = KeyAdvice.fixes(new ScanResults.KeyEntry("a b", "list", 10_000_000L, 200_000L, -1),
                cli);
        assertThat(fixes).extracting(KeyAdvice.Fix::command).containsExactly(
                "redis-cli -h 127.0.0.1 -p 6379 LTRIM 'a b' 0 999", "redis-cli -h 127.0.0.1 -p 6379 EXPIRE 'a b' 86400");
        assertThat(KeyAdvice.fixes(new ScanResults.KeyEntry("it's", "stream", null, 200_000L, 60), cli))
                .singleElement().extracting(KeyAdvice.Fix::command)
                .isEqualTo("redis-cli -h 127.0.0.1 -p 6379 XTRIM 'it'\\''s' MAXLEN '~' 100000");
        assertThat(KeyAdvice.fixes(new ScanResults.KeyEntry("line\\nbreak", "list", null, 200_000L, 60), cli))
                .singleElement().extracting(KeyAdvice.Fix::command)
                .isEqualTo("redis-cli -h 127.0.0.1 -p 6379 --quoted-input LTRIM '\"line\\nbreak\"' 0 999");
    }

    @Test
    void aKeyThatSaysItsDatabaseGetsItsCommandsThere() {
        RedisCliCommand cli = RedisCliCommand.to(RedisUrl.of("redis://127.0.0.1:6379/1"));
        ScanResults.KeyEntry inDb4 = new ScanResults.KeyEntry("<b>\\n'", "list", 10_000_000L, 200_000L, -1, null, 4);
        assertThat(KeyAdvice.fixes(inDb4, cli)).extracting(KeyAdvice.Fix::command).containsExactly(
                "redis-cli -h 127.0.0.1 -p 6379 -n 4 --quoted-input LTRIM '\"<b>\\n'\\''\"' 0 999",
                "redis-cli -h 127.0.0.1 -p 6379 -n 4 --quoted-input EXPIRE '\"<b>\\n'\\''\"' 86400");
        // a scan's key has no database of its own: the URL's
        assertThat(KeyAdvice.rows(List.of(new ScanResults.KeyEntry("q", "list", null, 200_000L, 60)), cli))
                .singleElement().satisfies(row -> assertThat(row.fixes()).extracting(KeyAdvice.Fix::command)
                        .containsExactly("redis-cli -h 127.0.0.1 -p 6379 -n 1 LTRIM 'q' 0 999"));
    }

    @Test
    void aShortenedNameGetsAdviceButNoCommand() {
        RedisCliCommand cli = RedisCliCommand.to(RedisUrl.of("redis://127.0.0.1:6379"));
        String shortened = KeyNames.shown(("q:" + "x".repeat(2000))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        List<KeyAdvice.Fix> fixes = KeyAdvice.fixes(new ScanResults.KeyEntry(shortened, "list", 10_000_000L,
                200_000L, -1), cli);
        assertThat(fixes).hasSize(2).allSatisfy(fix -> {
            assertThat(fix.advice()).isNotBlank().doesNotEndWith(":");
            assertThat(fix.command()).isNull();
        });
    }

    /**
     * An incident imported from an export with {@code redactKeys=true} holds names such as
     * {@code feed:<h:…>}: the advice stays, but no command names a key that does not exist.
     */
    @Test
    void aRedactedNameGetsAdviceButNoCommand() {
        RedisCliCommand cli = RedisCliCommand.to(RedisUrl.of("redis://127.0.0.1:6379"));
        List<KeyAdvice.Fix> fixes = KeyAdvice.fixes(new ScanResults.KeyEntry("feed:<h:1a2b3c4d5e6f7081>:items",
                "list", 10_000_000L, 200_000L, -1), cli);
        assertThat(fixes).hasSize(2).allSatisfy(fix -> assertThat(fix.command()).isNull());
        assertThat(fixes.get(0).advice()).startsWith("A list of 200,000 items")
                .endsWith("Keep the newest 1,000 now (no command: the name shown is not the key's whole name).");
        // a name that only looks alike keeps its command
        assertThat(KeyAdvice.fixes(new ScanResults.KeyEntry("feed:<h:abc>", "list", 10_000_000L, 200_000L, -1),
                cli).get(0).command()).isEqualTo("redis-cli -h 127.0.0.1 -p 6379 LTRIM 'feed:<h:abc>' 0 999");
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

    /**
     * Each command line, exactly as the page and the exports show it, run by {@code sh -c}: it reaches its own key
     * (the list is trimmed to 1,000 and gets a TTL), no other key changes, and nothing in a name runs.
     */
    @Test
    void shownCommandsRunThroughAShellReachExactlyTheirKeyAndRunNothingElse() throws Exception {
        Path marker = dir.resolve("ran");
        List<byte[]> keys = new ArrayList<>(List.of(
                bytes("$(touch " + marker + "-dollar)"),
                bytes("`touch " + marker + "-backquote`"),
                bytes("a'b"), bytes("a\"b"), bytes("a b"), bytes("a\nb"),
                bytes("x; touch " + marker + "-semicolon #"),
                bytes("'$(touch " + marker + "-quoted)'"),
                bytes("back\\slash\\x41"), bytes("-n"), bytes("~"), bytes("*"), bytes("$HOME"),
                bytes("café ✓"), new byte[] {'b', 'i', 'n', ':', (byte) 0xff, 0, (byte) 0xc3, '\r', 7}));
        try (RedisServer redis = RedisServer.start()) {
            try (RedisPipe pipe = RedisPipe.to(redis)) {
                for (byte[] key : keys) {
                    for (int i = 0; i < 5; i++) {
                        byte[][] args = new byte[1002][];
                        args[0] = bytes("RPUSH");
                        args[1] = key;
                        for (int e = 0; e < 1000; e++) {
                            args[2 + e] = bytes(Integer.toString(i * 1000 + e));
                        }
                        pipe.raw(args);
                    }
                }
                pipe.raw(bytes("SET"), bytes("bystander"), bytes("v"));
            }
            RedisCliCommand cli = RedisCliCommand.to(RedisUrl.of(redis.url()));
            for (int k = 0; k < keys.size(); k++) {
                byte[] key = keys.get(k);
                String shown = KeyNames.escape(key);
                List<String> commands = KeyAdvice.fixes(new ScanResults.KeyEntry(shown, "list", 400_000L, 5_000L, -1),
                        cli).stream().map(KeyAdvice.Fix::command).toList();
                assertThat(commands).hasSize(2);
                assertThat(commands).allSatisfy(line -> assertThat(line).as("one printable line")
                        .matches("[\\x20-\\x7e]+"));
                assertThat(sh(commands.get(0))).as(commands.get(0)).isEqualTo("OK");
                assertThat(sh(commands.get(1))).as(commands.get(1)).isEqualTo("1");

                assertThat(integer(redis, "LLEN", key)).as(shown).isEqualTo(1000);
                assertThat(integer(redis, "TTL", key)).as(shown).isBetween(86_000L, 86_400L);
                for (byte[] later : keys.subList(k + 1, keys.size())) {
                    assertThat(integer(redis, "LLEN", later)).as("untouched " + KeyNames.escape(later)).isEqualTo(5000);
                    assertThat(integer(redis, "TTL", later)).isEqualTo(-1);
                }
            }
            assertThat(integer(redis, "DBSIZE", null)).as("no key created").isEqualTo(keys.size() + 1);
            assertThat(integer(redis, "TTL", bytes("bystander"))).isEqualTo(-1);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("nothing in a key name ran").isEmpty();
        }
    }

    /** The form redis-cli's own prompt and standard input read; kept for the checks' remedies. */
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

    private static String sh(String line) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).start();
        shell.getOutputStream().close();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output.strip();
    }

    /** One command with raw-byte arguments over RESP, answering an integer: an oracle that involves no quoting. */
    private static long integer(RedisServer redis, String command, byte[] key) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", redis.port())) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(bytes((key == null ? "*1" : "*2") + "\r\n$" + command.length() + "\r\n" + command
                    + "\r\n"));
            if (key != null) {
                request.writeBytes(bytes("$" + key.length + "\r\n"));
                request.writeBytes(key);
                request.writeBytes(bytes("\r\n"));
            }
            socket.getOutputStream().write(request.toByteArray());
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
                reply.append((char) c);
            }
            assertThat(reply.toString()).startsWith(":");
            return Long.parseLong(reply.toString().strip().substring(1));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
