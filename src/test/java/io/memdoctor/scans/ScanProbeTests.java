package io.memdoctor.scans;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.memdoctor.scans.engine.KeyspaceScanner;
import io.memdoctor.scans.engine.ScanAccumulator;
import io.memdoctor.scans.engine.ScanOutcome;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("benchmark")
class ScanProbeTests {

    static double serverCpu(RedisServer server) {
        double total = 0;
        for (String line : server.cli("INFO", "cpu").split("\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return total;
    }

    static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void probe() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            long t0 = System.nanoTime();
            long keys = BenchmarkDataset.load(server);
            System.out.printf("load %d keys: %.1f s%n", keys, (System.nanoTime() - t0) / 1e9);
            System.out.println(server.cli("DBSIZE"));
            t0 = System.nanoTime();
            Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(server.port()), "--scan")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            System.out.printf("redis-cli --scan: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            for (int window : new int[] {8}) {
                for (boolean timeouts : new boolean[] {false}) {
                    RedisClient client = RedisClient.create(RedisURI.create(server.url()));
                    ClientOptions.Builder options = ClientOptions.builder().autoReconnect(false);
                    if (timeouts) {
                        options.timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)));
                    }
                    client.setOptions(options.build());
                    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
                        ScanParameters params = ScanParameters.defaults();
                        ScanAccumulator acc = new ScanAccumulator(params, 1000);
                        double cpu0 = serverCpu(server);
                        long jvm0 = jvmCpu();
                        t0 = System.nanoTime();
                        ScanOutcome outcome = new KeyspaceScanner(c, params, acc, new ScanProgress(false),
                                Duration.ofSeconds(30), window).run(() -> false);
                        double s = (System.nanoTime() - t0) / 1e9;
                        System.out.printf("ours window=%d timeouts=%s: %s %.2f s, %.0f keys/s, keys=%d server cpu %.2f s jvm cpu %.2f s%n", window,
                                timeouts, outcome, s, acc.keys() / s, acc.keys(), serverCpu(server) - cpu0, (jvmCpu() - jvm0) / 1e9);
                    }
                    client.shutdown();
                }
            }
            double c0 = serverCpu(server);
            t0 = System.nanoTime();
            p = new ProcessBuilder("redis-cli", "-p", Integer.toString(server.port()), "--memkeys")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("redis-cli --memkeys: %.2f s %.0f keys/s server cpu %.2f%n", s, keys / s, serverCpu(server) - c0);
        }
    }
}
