package io.memdoctor.incidents;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.memdoctor.config.DaemonThreads;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * The threads that capture a cluster's nodes, shared by every capture and stopped with the application: a cluster of
 * up to {@link #THREADS} nodes in one go, a bigger one (or two captures at once) waiting in the queue. Idle threads
 * end after a while, so a dashboard that captures nothing keeps none.
 */
@Component
class NodeCaptureThreads {

    static final int THREADS = 12;

    private final ThreadPoolExecutor pool;

    NodeCaptureThreads() {
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("incident-node-"));
        pool.allowCoreThreadTimeOut(true);
    }

    <T> Future<T> submit(Callable<T> task) {
        return pool.submit(task);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
