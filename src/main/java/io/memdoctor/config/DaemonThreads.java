package io.memdoctor.config;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Thread factories for the dashboard's own pools: daemon threads (a pool that was not shut down never holds the JVM
 * up) named after their work, so that logs, thread dumps and the fleet benchmark's CPU-per-thread table say whose
 * they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads all called {@code name}: for a pool of one ({@code sample-writer}). */
    public static ThreadFactory named(String name) {
        return named(name, Thread.NORM_PRIORITY);
    }

    /** The same at a priority ({@link Thread#MIN_PRIORITY} for work that must yield to sampling). */
    public static ThreadFactory named(String name, int priority) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.setPriority(priority);
            return thread;
        };
    }

    /** Threads called {@code prefix1}, {@code prefix2}...: {@code numbered("scan-")} gives {@code scan-1}. */
    public static ThreadFactory numbered(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
    }
}
