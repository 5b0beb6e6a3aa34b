package io.memdoctor.scans;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a scan thread the lowest CPU priority (nice 19), on Linux, for that thread only.
 *
 * <p>Why: a scan is background work. When the dashboard shares a host with Redis or with Redis' clients, each time
 * the scan's thread wakes up the kernel would otherwise hand it a core at once, taking it from Redis or a client for
 * a moment; at nice 19 it runs when a core is free instead. On a 2-core host running Redis, a GET load and a scan
 * throttled to {@code redis-cli --memkeys}' rate, the GET load's p99 went from parity with {@code --memkeys} (median
 * ratio 1.00 over 15 pairs) to below it (0.88 over 11 pairs; docs/benchmarks/scan.md). An idle host runs the scan
 * at full speed either way.
 *
 * <p>Java has no call for a thread's nice value, so the thread renices itself with {@code renice}, by its kernel
 * thread id ({@code /proc/thread-self}); Linux applies it to that thread alone. Lowering a priority needs no
 * privilege. Elsewhere, or without {@code renice}, the scan runs at the normal priority and this says so once.
 */
final class LowCpuPriority {

    static final int NICE = 19;

    private static final Logger log = LoggerFactory.getLogger(LowCpuPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final ThreadLocal<Boolean> APPLIED = ThreadLocal.withInitial(() -> false);
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private LowCpuPriority() {
    }

    /** Lowers the calling thread's CPU priority, once per thread; never throws. */
    static void applyToCurrentThread() {
        if (APPLIED.get()) {
            return;
        }
        APPLIED.set(true);
        if (!Files.exists(THREAD_SELF)) {
            unavailable("not Linux");
            return;
        }
        try {
            String tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
                    .redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!renice.waitFor(5, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                unavailable("renice did not finish");
            }
            else if (renice.exitValue() != 0) {
                unavailable("renice: " + output);
            }
            else {
                log.debug("Scan thread {} (tid {}) runs at nice {}", Thread.currentThread().getName(), tid, NICE);
            }
        }
        catch (IOException | UnsupportedOperationException ex) {
            unavailable(ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void unavailable(String why) {
        if (REPORTED.compareAndSet(false, true)) {
            log.info("Scans run at the normal CPU priority: could not lower it ({})", why);
        }
    }
}
