package io.memdoctor.scans;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Scans;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Scan threads run at nice 19, read back from the kernel; no other thread of the dashboard is touched. */
@DashboardTest
@PrivateRedis(instance = "nice-cache")
class LowCpuPriorityTests {

    static RedisServer redis;

    @BeforeAll
    static void linux() {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "thread priorities are read from Linux' /proc");
    }

    @Autowired
    ScanService scans;

    @Test
    void onlyTheCallingThreadIsLowered() throws Exception {
        int before = nice(Path.of("/proc/thread-self"));
        AtomicInteger lowered = new AtomicInteger(Integer.MIN_VALUE);
        Thread thread = new Thread(() -> {
            LowCpuPriority.applyToCurrentThread();
            LowCpuPriority.applyToCurrentThread();
            try {
                lowered.set(nice(Path.of("/proc/thread-self")));
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        thread.start();
        thread.join();

        assertThat(lowered.get()).isEqualTo(LowCpuPriority.NICE);
        assertThat(nice(Path.of("/proc/thread-self"))).isEqualTo(before);
    }

    @Test
    void theDashboardsScanThreadRunsAtNice19() throws Exception {
        redis.cli("DEBUG", "POPULATE", "2000", "key", "10");
        Scans.finished(scans, "nice-cache", Duration.ofSeconds(30));

        // the pool keeps the scan's thread for 30 s after the scan
        List<Path> scanThreads = threads("scan-");
        assertThat(scanThreads).isNotEmpty();
        for (Path task : scanThreads) {
            assertThat(nice(task)).as(task.toString()).isEqualTo(LowCpuPriority.NICE);
        }
        for (Path task : threads("main")) {
            assertThat(nice(task)).as(task.toString()).isLessThan(LowCpuPriority.NICE);
        }
    }

    /** This process' threads whose name starts with {@code prefix}. */
    private static List<Path> threads(String prefix) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> {
                try {
                    return Files.readString(task.resolve("comm")).startsWith(prefix);
                }
                catch (IOException gone) {
                    return false;
                }
            }).toList();
        }
    }

    /** Field 19 of {@code stat}, counted after the parenthesised name (which may hold spaces). */
    private static int nice(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
