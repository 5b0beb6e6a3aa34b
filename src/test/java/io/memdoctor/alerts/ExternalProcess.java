package io.memdoctor.alerts;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Prometheus or Alertmanager from the Debian packages, on a free port with its own temp directory. */
final class ExternalProcess implements AutoCloseable {

    final int port;
    final Path dir;
    private final Process process;

    private ExternalProcess(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    static boolean installed(String binary) {
        return Files.isExecutable(Path.of(binary));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static ExternalProcess alertmanager() throws Exception {
        Path dir = Files.createTempDirectory("memdoctor-am");
        Files.writeString(dir.resolve("am.yml"), "route:\n  receiver: nobody\n  group_wait: 1s\nreceivers:\n"
                + "  - name: nobody\n");
        int port = freePort();
        return start(dir, port, List.of("/usr/bin/prometheus-alertmanager", "--config.file=" + dir.resolve("am.yml"),
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="), "/-/ready");
    }

    static ExternalProcess prometheus(int dashboardPort, String rules) throws Exception {
        Path dir = Files.createTempDirectory("memdoctor-prom");
        Files.writeString(dir.resolve("rules.yml"), rules);
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n  - " + dir.resolve("rules.yml") + "\nscrape_configs:\n  - job_name: memdoctor\n"
                + "    metrics_path: /actuator/prometheus\n"
                // the dashboard's own instance label names the Redis, as redis_exporter's multi-target setups do
                + "    honor_labels: true\n    static_configs:\n      - targets: ['127.0.0.1:" + dashboardPort + "']\n");
        int port = freePort();
        return start(dir, port, List.of("/usr/bin/prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port), "/-/ready");
    }

    private static ExternalProcess start(Path dir, int port, List<String> command, String ready) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        ExternalProcess started = new ExternalProcess(port, dir, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (started.get(ready).statusCode() == 200) {
                    return started;
                }
            }
            catch (IOException ex) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        started.close();
        throw new IllegalStateException(command.get(0) + " did not start: " + Files.readString(dir.resolve("out.log")));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
