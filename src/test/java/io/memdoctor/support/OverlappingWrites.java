package io.memdoctor.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two writers whose transactions overlap, as two replicas' do: the first writes and keeps its transaction open while
 * the second writes the same rows (on PostgreSQL the second waits on the first's rows until it commits; H2 answers
 * at once), then both commit. Throws what either threw.
 */
public final class OverlappingWrites {

    private static final long HOLD_MILLIS = 300;

    private OverlappingWrites() {
    }

    public static void run(PlatformTransactionManager transactions, Runnable first, Runnable second)
            throws Exception {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        CountDownLatch firstWrote = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> one = pool.submit(() -> tx.executeWithoutResult(status -> {
                first.run();
                firstWrote.countDown();
                hold(secondStarted);
            }));
            if (!firstWrote.await(30, TimeUnit.SECONDS)) {
                one.get(1, TimeUnit.SECONDS);
            }
            Future<?> two = pool.submit(() -> tx.executeWithoutResult(status -> {
                secondStarted.countDown();
                second.run();
            }));
            one.get(30, TimeUnit.SECONDS);
            two.get(30, TimeUnit.SECONDS);
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** Until the second has started, then long enough for its write to be waiting on the first's rows. */
    private static void hold(CountDownLatch secondStarted) {
        try {
            secondStarted.await(30, TimeUnit.SECONDS);
            Thread.sleep(HOLD_MILLIS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
