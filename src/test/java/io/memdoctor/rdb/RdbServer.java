package io.memdoctor.rdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private server of a given build writing its dump into its own temp dir, for tests that need the RDB files real
 * servers write. {@link #available()} lists Debian's redis-server and the builds in {@code ../shared/redis-builds/}.
 */
final class RdbServer implements AutoCloseable {

    /** A server build: a label for tables and messages, and its binary. */
    record Build(String label, String binary) {
    }

    private final Build build;
    private final Path dir;
    private final Process process;
    private final int port;

    private RdbServer(Build build, Path dir, Process process, int port) {
        this.build = build;
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static List<Build> available() {
        List<Build> builds = new ArrayList<>();
        builds.add(new Build(debianVersion(), "redis-server"));
        Path shared = Path.of("..", "shared", "redis-builds");
        for (String name : List.of("redis-server-7.2.6", "redis-server-7.4.1", "redis-server-8.0-preview",
                "valkey-server-8.0.1")) {
            Path binary = shared.resolve(name);
            if (Files.isExecutable(binary)) {
                builds.add(new Build(name.replace("-server-", " "), binary.toAbsolutePath().toString()));
            }
        }
        return builds;
    }

    private static String debianVersion() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            int at = out.indexOf("v=");
            return "redis " + (at < 0 ? "?" : out.substring(at + 2, out.indexOf(' ', at))) + " (Debian)";
        }
        catch (IOException | InterruptedException e) {
            return "redis (Debian)";
        }
    }

    static RdbServer start(Build build, String... extra) {
        try {
            Path dir = Files.createTempDirectory("memdoctor-rdb");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(build.binary(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel",
                    "warning", "--dir", dir.toString(), "--dbfilename", "dump.rdb"));
            command.addAll(List.of(extra));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (Resp r = new Resp(port)) {
                    if ("PONG".equals(r.text("PING"))) {
                        return new RdbServer(build, dir, process, port);
                    }
                }
                catch (RuntimeException notYet) {
                    Thread.sleep(20);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException(build.label() + " did not start: " + Files.readString(dir.resolve("server.log")));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Build build() {
        return build;
    }

    Resp client() {
        return new Resp(port);
    }

    /** SAVE, and the file it wrote. */
    Path save() {
        try (Resp r = client()) {
            r.text("SAVE");
        }
        return dir.resolve("dump.rdb");
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (IOException ignored) {
            // a temp dir left behind
        }
    }
}
