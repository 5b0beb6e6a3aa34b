package io.memdoctor.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.memdoctor.simulator.LocalRedisServer;

/**
 * A private {@code redis-server} on a free loopback port, for one test class. Never the shared 6379 one: tests
 * may flush, fill, kill and pause it. Started by the simulator's {@link LocalRedisServer}; this adds what tests
 * need: TLS with a fresh certificate, {@code redis-cli}, and pausing the process. {@link PrivateRedis} starts one
 * per class.
 */
public final class RedisServer implements AutoCloseable {

    private final LocalRedisServer server;
    private final Path certificate;

    private RedisServer(LocalRedisServer server, Path certificate) {
        this.server = server;
        this.certificate = certificate;
    }

    /** Starts a server with persistence off; extra arguments are passed as {@code --name value} pairs. */
    public static RedisServer start(String... extraArgs) {
        return new RedisServer(LocalRedisServer.start(List.of(extraArgs)), null);
    }

    /** Starts another server binary (a build of {@code ../shared/redis-builds}) with persistence off. */
    public static RedisServer start(Path binary, String... extraArgs) {
        return new RedisServer(LocalRedisServer.start(binary, List.of(extraArgs)), null);
    }

    /**
     * Starts a server that speaks only TLS, with a self-signed certificate for 127.0.0.1 made by openssl;
     * {@link #certificate()} is the PEM file a client must trust.
     */
    public static RedisServer startTls(String... extraArgs) {
        try {
            Path dir = Files.createTempDirectory("memdoctor-tls");
            Path key = dir.resolve("key.pem");
            Path certificate = dir.resolve("cert.pem");
            run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout",
                    key.toString(), "-out", certificate.toString(), "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"));
            RedisServer server = new RedisServer(LocalRedisServer.startTls(certificate, key, List.of(extraArgs)),
                    certificate);
            server.awaitTlsPing();
            return server;
        }
        catch (IOException ex) {
            throw new IllegalStateException("could not start redis-server with TLS: " + ex.getMessage(), ex);
        }
    }

    private void awaitTlsPing() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String answer = cli("PING");
            if (answer.startsWith("PONG") || answer.contains("NOAUTH")) {
                return;
            }
        }
        throw new IllegalStateException("redis-server did not answer PING over TLS on port " + port());
    }

    /** The server's self-signed certificate (PEM), for a TLS server. */
    public Path certificate() {
        return certificate;
    }

    /** {@code rediss://127.0.0.1:PORT} for a TLS server. */
    public String tlsUrl() {
        return "rediss://127.0.0.1:" + port();
    }

    public int port() {
        return server.port();
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return server.url();
    }

    /** Kills the server (SIGKILL) and waits until it is gone. */
    public void kill() {
        server.kill();
    }

    /** Starts the server again on the same port, with an empty dataset. */
    public void restart() {
        server.restart();
        if (certificate != null) {
            awaitTlsPing();
        }
    }

    /** SIGSTOP: the port still accepts connections, but nothing answers. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        run(List.of("kill", "-" + name, Long.toString(server.pid())));
    }

    /** Runs {@code redis-cli -p PORT args...} and returns its standard output. */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port())));
        if (certificate != null) {
            command.addAll(List.of("--tls", "--cacert", certificate.toString()));
        }
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a command (redis-cli) and returns its output, stdout and stderr together; 60 s at most. */
    static String run(List<String> command) {
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(60, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return out;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Stops the server, resuming it first if it was paused (a stopped process ignores nothing but SIGKILL). */
    @Override
    public void close() {
        if (server.isAlive()) {
            resume();
        }
        server.close();
    }
}
