package io.memdoctor.simulator;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} this process started, on a free loopback port, in a temporary directory, without
 * persistence unless asked. The simulator writes only to servers of this type, so it can never touch a Redis it
 * did not start; the tests start theirs through it too ({@code support.RedisServer}).
 */
public final class LocalRedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> command;
    private final boolean tls;
    private Process process;

    private LocalRedisServer(Path dir, int port, List<String> command, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.command = command;
        this.tls = tls;
    }

    /** The {@code redis-server} executable on the PATH, if there is one. */
    public static Optional<Path> executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).map(p -> Path.of(p, "redis-server"))
                .filter(Files::isExecutable).findFirst();
    }

    /** Starts a server; {@code extraArgs} are {@code --name value} pairs added after the defaults. */
    public static LocalRedisServer start(List<String> extraArgs) {
        return start(false, port -> List.of("--port", Integer.toString(port)), extraArgs);
    }

    /** Starts this server binary (another Redis or Valkey build) instead of the one on the PATH. */
    public static LocalRedisServer start(Path binary, List<String> extraArgs) {
        return start(binary, false, port -> List.of("--port", Integer.toString(port)), extraArgs);
    }

    /**
     * Starts a server that speaks only TLS on its port, presenting {@code certificate} (PEM) with {@code key};
     * clients are not asked for certificates.
     */
    public static LocalRedisServer startTls(Path certificate, Path key, List<String> extraArgs) {
        return start(true, port -> List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
                certificate.toString(), "--tls-key-file", key.toString(), "--tls-ca-cert-file",
                certificate.toString(), "--tls-auth-clients", "no"), extraArgs);
    }

    private static LocalRedisServer start(boolean tls, java.util.function.IntFunction<List<String>> listen,
            List<String> extraArgs) {
        Path executable = executable().orElseThrow(() -> new IllegalStateException("redis-server is not on the PATH"));
        return start(executable, tls, listen, extraArgs);
    }

    private static LocalRedisServer start(Path executable, boolean tls,
            java.util.function.IntFunction<List<String>> listen, List<String> extraArgs) {
        boolean cluster = String.join(" ", extraArgs).contains("--cluster-enabled yes");
        for (int attempt = 1;; attempt++) {
            try {
                Path dir = Files.createTempDirectory("memdoctor-redis");
                // a cluster node also listens on its bus port, port + 10000: free too when chosen
                int port = cluster ? freePortWithBus() : freePort();
                List<String> command = new ArrayList<>(List.of(executable.toString(), "--bind", "127.0.0.1", "--save",
                        "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", "--dir",
                        dir.toString()));
                command.addAll(listen.apply(port));
                command.addAll(extraArgs);
                LocalRedisServer server = new LocalRedisServer(dir, port, List.copyOf(command), tls);
                try {
                    server.launch();
                    return server;
                }
                catch (IllegalStateException ex) {
                    server.close();
                    // a free port can be taken before the server binds it (another process' outgoing connection)
                    if (attempt == 5 || ex.getMessage() == null
                            || !ex.getMessage().contains("Address already in use")) {
                        throw ex;
                    }
                }
            }
            catch (IOException ex) {
                throw new IllegalStateException("could not start redis-server: " + ex.getMessage(), ex);
            }
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            if (tls ? accepts() : answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("redis-server did not answer on port " + port);
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

    /** A TLS port cannot be PINGed in clear: accepting connections is the sign it listens. */
    private boolean accepts() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}: no password, it listens on loopback only. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** The server's process id, which {@code INFO server} reports as {@code process_id}. */
    public long pid() {
        return process.pid();
    }

    /** The server binary this process runs. */
    public Path binary() {
        return Path.of(command.get(0));
    }

    /**
     * Pauses ({@code true}, SIGSTOP) or resumes (SIGCONT) the server: a frozen Redis, as a stuck replica or a host
     * under pressure shows it. Only this process' own child is signalled.
     */
    public void pause(boolean paused) {
        try {
            Process kill = new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        }
        catch (IOException ex) {
            throw new IllegalStateException("could not signal redis-server: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the server (SIGKILL: nothing to save) and waits until it is gone; {@link #restart()} brings it back. */
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
            throw new IllegalStateException("could not restart redis-server: " + ex.getMessage(), ex);
        }
    }

    /** Stops the server and removes its directory. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException ex) {
            // a temporary directory left behind is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** A free port whose cluster bus port (10000 higher) is free as well. */
    private static int freePortWithBus() throws IOException {
        for (int tries = 0; tries < 50; tries++) {
            int port = freePort();
            if (port + 10000 > 65535) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket(port + 10000, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            }
            catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port with a free cluster bus port after 50 tries");
    }
}
