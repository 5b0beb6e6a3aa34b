package io.memdoctor.redis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Bounds how much asynchronous work (samples, connects) runs at once without a thread each: work past the limit waits
 * in a queue and starts when running work completes. Nothing is refused, so load delays work by milliseconds instead
 * of turning it into failures; work that waits is time-boxed from the moment it starts.
 */
public final class ConcurrencyLimit {

    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private final ThreadLocal<Deque<Runnable>> trampoline = new ThreadLocal<>();
    private int running;

    public ConcurrencyLimit(int limit) {
        this.limit = limit;
    }

    /** Starts the work now if fewer than the limit run, or later; the result completes with the work's. */
    public <T> CompletionStage<T> submit(Supplier<CompletionStage<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletionStage<T> started;
            try {
                started = work.get();
            }
            catch (RuntimeException ex) {
                started = CompletableFuture.failedFuture(ex);
            }
            started.whenComplete((value, failed) -> {
                release();
                if (failed == null) {
                    result.complete(value);
                }
                else {
                    result.completeExceptionally(failed);
                }
            });
        };
        boolean now;
        synchronized (this) {
            now = running < limit;
            if (now) {
                running++;
            }
            else {
                waiting.add(start);
            }
        }
        if (now) {
            runFlat(start);
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            // runs on the thread that completed a sample (a Lettuce event loop): starting the next is only a write
            runFlat(next);
        }
    }

    /**
     * Runs the task, or queues it behind the one this thread is already running: samples that complete at once
     * (a refused connect) would otherwise start the next one from inside their own completion, one stack frame
     * deeper each time.
     */
    private void runFlat(Runnable task) {
        Deque<Runnable> pending = trampoline.get();
        if (pending != null) {
            pending.add(task);
            return;
        }
        pending = new ArrayDeque<>();
        trampoline.set(pending);
        try {
            for (Runnable next = task; next != null; next = pending.poll()) {
                next.run();
            }
        }
        finally {
            trampoline.remove();
        }
    }

    /** Work running now. */
    public synchronized int running() {
        return running;
    }

    /** Work waiting for its turn. */
    public synchronized int waiting() {
        return waiting.size();
    }
}
