package io.memdoctor.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard in its own JVM (the test classpath, the real main class), so a test can kill it with SIGKILL and
 * start it again on the same data directory.
 */
public final class DashboardProcess implements AutoCloseable {

    /* generous: on a shared 2-core machine under load a cold start has taken over 60 s */
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DashboardProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the dashboard with these {@code --name=value} arguments and waits until it answers. */
    public static DashboardProcess start(Path log, String... args) {
        return startWithHeap(log, "256m", args);
    }

    /** Starts the dashboard with these environment variables added and these arguments, and waits until it answers. */
    public static DashboardProcess startWithEnvironment(Path log, Map<String, String> environment, String... args) {
        return launch(log, "256m", environment, PATIENCE, args);
    }

    /** Starts the dashboard with this maximum heap ({@code -Xmx}) and these arguments, and waits until it answers. */
    public static DashboardProcess startWithHeap(Path log, String heap, String... args) {
        return launch(log, heap, Map.of(), PATIENCE, args);
    }

    /** Like {@link #startWithHeap}, waiting at most {@code patience} for it to answer. */
    public static DashboardProcess startWithin(Duration patience, Path log, String heap, String... args) {
        return launch(log, heap, Map.of(), patience, args);
    }

    /** Like {@link #startWithHeap}, with these JVM options too (a profiler's, {@code -XX:StartFlightRecording}). */
    public static DashboardProcess startWithJvmOptions(Path log, String heap, List<String> jvmOptions,
            String... args) {
        return launch(log, heap, jvmOptions, Map.of(), PATIENCE, args);
    }

    private static DashboardProcess launch(Path log, String heap, Map<String, String> environment,
            Duration patience, String... args) {
        return launch(log, heap, List.of(), environment, patience, args);
    }

    private static DashboardProcess launch(Path log, String heap, List<String> jvmOptions,
            Map<String, String> environment, Duration patience, String... args) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "io.memdoctor.RedisMemoryDoctorApplication", "--server.port=" + port));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            DashboardProcess dashboard = new DashboardProcess(process, port);
            dashboard.awaitUp(patience);
            return dashboard;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void awaitUp(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the dashboard exited with " + process.exitValue());
            }
            try {
                if (get("/actuator/health").statusCode() == 200) {
                    return;
                }
            }
            catch (IllegalStateException ex) {
                // not listening yet
            }
            sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the dashboard did not come up within " + patience.toSeconds() + " s");
    }

    /** The dashboard's address for a path, for a browser. */
    public String url(String path) {
        return baseUrl() + path;
    }

    /** The dashboard's process id (for {@code /proc/PID/status}). */
    public long pid() {
        return process.pid();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** GET on the dashboard. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build());
    }

    /** POST of a JSON body to the dashboard's API, as a script would (no cookie, no token). */
    public HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
