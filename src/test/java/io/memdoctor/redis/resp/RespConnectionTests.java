package io.memdoctor.redis.resp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocketFactory;

import io.memdoctor.instances.RedisUrl;
import io.memdoctor.redis.RedisTls;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scan engine's RESP client against a real redis-server: every reply kind, pipelining, AUTH, SELECT, timeouts. */
class RespConnectionTests {

    private static RedisServer server;

    @BeforeAll
    static void start() {
        server = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void readsEveryReplyKindInOrder() throws IOException {
        String big = "x".repeat(200_000);
        server.cli("EVAL", "redis.call('SET', KEYS[1], string.rep('x', 200000))", "1", "resp:big");
        server.cli("RPUSH", "resp:list", "a", "", "c");
        server.cli("SET", "resp:bin", "\u00e9\r\n");
        try (RespConnection redis = open(server.url())) {
            command(redis, "PTTL", "resp:big");
            command(redis, "GET", "resp:missing");
            command(redis, "GET", "resp:big");
            command(redis, "LRANGE", "resp:list", "0", "-1");
            command(redis, "TYPE", "resp:list");
            command(redis, "LLEN", "resp:big");
            command(redis, "GET", "resp:bin");
            command(redis, "STRLEN", "resp:big");

            assertThat(redis.read()).isEqualTo(RespConnection.INTEGER);
            assertThat(redis.integer()).isEqualTo(-1);
            assertThat(redis.read()).isEqualTo(RespConnection.NIL);
            assertThat(redis.read()).isEqualTo(RespConnection.BULK);
            assertThat(new String(redis.bulk(), StandardCharsets.US_ASCII)).isEqualTo(big);
            assertThat(redis.read()).isEqualTo(RespConnection.ARRAY);
            assertThat(redis.integer()).isEqualTo(3);
            for (String element : new String[] {"a", "", "c"}) {
                assertThat(redis.read()).isEqualTo(RespConnection.BULK);
                assertThat(new String(redis.bulk(), StandardCharsets.UTF_8)).isEqualTo(element);
            }
            assertThat(redis.read()).isEqualTo(RespConnection.STATUS);
            assertThat(redis.text()).isEqualTo("list");
            assertThat(redis.read()).isEqualTo(RespConnection.ERROR);
            assertThat(redis.text()).startsWith("WRONGTYPE");
            assertThat(redis.read()).isEqualTo(RespConnection.BULK);
            assertThat(redis.bulk()).isEqualTo("\u00e9\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(redis.readInteger()).isEqualTo(200_000);
        }
    }

    @Test
    void pipelinesHundredsOfThousandsOfCommandsWithRepliesAcrossReadBoundaries() throws IOException {
        server.cli("SET", "resp:n", "12345");
        try (RespConnection redis = open(server.url())) {
            int commands = 300_000;
            for (int i = 0; i < commands; i++) {
                command(redis, i % 2 == 0 ? "STRLEN" : "PTTL", "resp:n");
            }
            for (int i = 0; i < commands; i++) {
                assertThat(redis.readInteger()).isEqualTo(i % 2 == 0 ? 5 : -1);
            }
        }
    }

    @Test
    void authenticatesAsAnAclUserAndSelectsTheDatabase() throws IOException {
        try (RedisServer locked = RedisServer.start()) {
            locked.cli("ACL", "SETUSER", "scanner", "on", ">pw-Scan-1", "~*", "+@all");
            locked.cli("-n", "3", "SET", "in-db-3", "yes");
            try (RespConnection redis = open("redis://scanner:pw-Scan-1@127.0.0.1:" + locked.port() + "/3")) {
                command(redis, "ACL", "WHOAMI");
                command(redis, "DBSIZE");

                assertThat(redis.read()).isEqualTo(RespConnection.BULK);
                assertThat(new String(redis.bulk(), StandardCharsets.UTF_8)).isEqualTo("scanner");
                assertThat(redis.readInteger()).isEqualTo(1);
            }
            assertThatThrownBy(() -> open("redis://scanner:wrong-Pw-9@127.0.0.1:" + locked.port()))
                    .isInstanceOf(IOException.class).hasMessageContaining("AUTH was refused")
                    .hasMessageNotContaining("wrong-Pw-9");
        }
    }

    @Test
    void aServerThatStopsReadingFailsTheWriteAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            try (RespConnection redis = RespConnection.open("127.0.0.1", silent.getLocalPort(), null, null, null, 0,
                    Duration.ofMillis(500)); Socket accepted = silent.accept()) {
                assertWritingTimesOut(redis);
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aServerThatDoesNotAnswerFailsTheReadAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            try (RespConnection redis = RespConnection.open("127.0.0.1", silent.getLocalPort(), null, null, null, 0,
                    Duration.ofMillis(300)); Socket accepted = silent.accept()) {
                command(redis, "PING");
                assertThatThrownBy(redis::read).isInstanceOf(SocketTimeoutException.class);
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @Test
    void overTlsTheCertificateMustBeTrustedAndAPausedServerStillTimesTheWriteOut() throws IOException {
        try (RedisServer secure = RedisServer.startTls()) {
            RedisUrl url = RedisUrl.of(secure.tlsUrl());
            assertThatThrownBy(() -> RespConnection.open(url, null, Duration.ofSeconds(5)))
                    .isInstanceOf(IOException.class);
            SSLSocketFactory trusted = RedisTls.trusting(secure.certificate()).socketFactory();
            try (RespConnection redis = RespConnection.open(url, trusted, Duration.ofMillis(500))) {
                command(redis, "PING");
                assertThat(redis.read()).isEqualTo(RespConnection.STATUS);
                assertThat(redis.text()).isEqualTo("PONG");

                secure.pause();
                try {
                    assertWritingTimesOut(redis);
                }
                finally {
                    secure.resume();
                }
            }
        }
    }

    /** Writes far more than the socket buffers of both sides hold, to a peer that reads nothing (timeout 500 ms). */
    private static void assertWritingTimesOut(RespConnection redis) {
        byte[] value = new byte[1 << 20];
        long start = System.nanoTime();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 256; i++) {
                redis.begin(1);
                redis.argument(value);
                redis.flush();
            }
        }).isInstanceOf(SocketTimeoutException.class);
        assertThat((System.nanoTime() - start) / 1e9).isBetween(0.4, 10.0);
    }

    private static RespConnection open(String url) throws IOException {
        return RespConnection.open(RedisUrl.of(url), null, Duration.ofSeconds(5));
    }

    private static void command(RespConnection redis, String... arguments) {
        redis.begin(arguments.length);
        for (String argument : arguments) {
            redis.argument(argument.getBytes(StandardCharsets.UTF_8));
        }
    }
}
