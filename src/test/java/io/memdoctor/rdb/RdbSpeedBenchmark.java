package io.memdoctor.rdb;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.memdoctor.rdb.format.RdbParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read speed of the whole analysis (parse, estimate, add up) against {@code redis-check-rdb} on the same file,
 * in the same run, and the heap it peaks at. The file: DEBUG POPULATE strings plus the varied dataset of the
 * accuracy benchmark, saved by Debian's redis-server. Size with {@code -Drdb.populate=N} (keys of 100 bytes).
 * Run with {@code ./mvnw -B -ntp -o test -Pbenchmark -Dtest=RdbSpeedBenchmark}.
 */
@Tag("benchmark")
class RdbSpeedBenchmark {

    private static final int POPULATE = Integer.getInteger("rdb.populate", 4_000_000);

    @Test
    void fasterThanRedisCheckRdbWithABoundedHeap() throws Exception {
        RdbServer.Build debian = RdbServer.available().get(0);
        try (RdbServer server = RdbServer.start(debian, "--enable-debug-command", "yes"); Resp r = server.client()) {
            r.text("DEBUG", "POPULATE", POPULATE, "bench", 100);
            RdbDataset.load(r, 20, 11);
            long keys = 0;
            for (int db = 0; db < 16; db++) {
                r.call("SELECT", db);
                keys += r.integer("DBSIZE");
            }
            Path file = server.save();
            long size = Files.size(file);
            r.text("FLUSHALL"); // give the memory back before measuring

            double checkBest = Double.MAX_VALUE;
            double oursBest = Double.MAX_VALUE;
            double parseBest = Double.MAX_VALUE;
            long peak = 0;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("redis-check-rdb", file.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
                assertThat(p.exitValue()).isZero();
                checkBest = Math.min(checkBest, (System.nanoTime() - t0) / 1e9);

                System.gc();
                ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
                long t1 = System.nanoTime();
                RdbCollector collector = new RdbCollector(100, 1000, System.currentTimeMillis());
                try (InputStream in = Files.newInputStream(file)) {
                    RdbParser.of(in, collector, () -> false).parse();
                }
                oursBest = Math.min(oursBest, (System.nanoTime() - t1) / 1e9);
                long t2 = System.nanoTime();
                try (InputStream in = Files.newInputStream(file)) {
                    RdbParser.of(in, k -> { }, () -> false).parse();
                }
                parseBest = Math.min(parseBest, (System.nanoTime() - t2) / 1e9);
                assertThat(collector.report().results().keys()).isEqualTo(keys);
                long heap = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        heap += pool.getPeakUsage().getUsed();
                    }
                }
                peak = Math.max(peak, heap);
            }
            long maxHeap = Runtime.getRuntime().maxMemory();
            System.out.printf("%n| file | keys | redis-check-rdb | memdoctor analysis | speed ratio | parse and estimate only | heap peak (-Xmx) |%n");
            System.out.printf("|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf("| %,d MB | %,d | %.2f s (%.0f MB/s) | %.2f s (%.0f MB/s) | %.2fx | %.2f s (%.0f MB/s) | %,d MB (%,d MB) |%n%n",
                    size >> 20, keys, checkBest, size / 1e6 / checkBest, oursBest, size / 1e6 / oursBest,
                    checkBest / oursBest, parseBest, size / 1e6 / parseBest, peak >> 20, maxHeap >> 20);
            Files.delete(file);
        }
    }

}
