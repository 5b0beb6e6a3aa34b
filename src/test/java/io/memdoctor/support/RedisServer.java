package io.memdoctor.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} on a free loopback port, for one test class. Never the shared 6379 one: tests
 * may flush, fill, kill and pause it.
 */
public final class RedisServer implements AutoCloseable {

    private final List<String> extraArgs;
    private final Path dir;
    private int port;
    private Process process;
    private boolean tls;

    private RedisServer(List<String> extraArgs) throws IOException {
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("memdoctor-redis");
    }

    /** Starts a server with persistence off; extra arguments are passed as {@code --name value} pairs. */
    public static RedisServer start(String... extraArgs) {
        try {
            RedisServer server = new RedisServer(List.of(extraArgs));
            server.port = freePort();
            server.launch();
            return server;
        }
        catch (IOException ex) {
            throw new IllegalStateException("could not start redis-server: " + ex.getMessage(), ex);
        }
    }

    /**
     * Starts a server that speaks only TLS, with a self-signed certificate for 127.0.0.1 made by openssl;
     * {@link #certificate()} is the PEM file a client must trust.
     */
    public static RedisServer startTls(String... extraArgs) {
        try {
            RedisServer server = new RedisServer(List.of(extraArgs));
            server.tls = true;
            server.port = freePort();
            run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", server.dir.resolve("key.pem").toString(), "-out", server.certificate().toString(),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"));
            server.launch();
            return server;
        }
        catch (IOException ex) {
            throw new IllegalStateException("could not start redis-server with TLS: " + ex.getMessage(), ex);
        }
    }

    /** The server's self-signed certificate (PEM), for a TLS server. */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** {@code rediss://127.0.0.1:PORT} for a TLS server. */
    public String tlsUrl() {
        return "rediss://127.0.0.1:" + port;
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
                "--dir", dir.toString()));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
                    certificate().toString(), "--tls-key-file", dir.resolve("key.pem").toString(),
                    "--tls-ca-cert-file", certificate().toString(), "--tls-auth-clients", "no"));
        }
        else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            if (tls ? tlsAnswersPing() : answersPing()) {
                return;
            }
            sleep(Duration.ofMillis(20));
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int read = in.read(buffer);
            String answer = read > 0 ? new String(buffer, 0, read, StandardCharsets.US_ASCII) : "";
            // a password-protected server answers -NOAUTH: it is up all the same
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        }
        catch (IOException ex) {
            return false;
        }
    }

    private boolean tlsAnswersPing() {
        String answer = cli("PING");
        return answer.startsWith("PONG") || answer.contains("NOAUTH");
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server (SIGKILL) and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port, with an empty dataset. */
    public void restart() {
        try {
            launch();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
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
        run(List.of("kill", "-" + name, Long.toString(process.pid())));
    }

    /** Runs {@code redis-cli -p PORT args...} and returns its standard output. */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        if (tls) {
            command.addAll(List.of("--tls", "--cacert", certificate().toString()));
        }
        command.addAll(List.of(args));
        return run(command);
    }

    private static String run(List<String> command) {
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

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
