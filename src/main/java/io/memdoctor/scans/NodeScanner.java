package io.memdoctor.scans;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.memdoctor.config.DaemonThreads;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.resp.RespConnection;
import io.memdoctor.scans.engine.KeyspaceScanner;
import io.memdoctor.scans.engine.ScanOutcome;
import io.memdoctor.scans.engine.ScanStatus;
import org.springframework.stereotype.Component;

/**
 * Scans the nodes of one scan, each on its own connection: the one node on the calling thread, the nodes of a
 * cluster at most {@code nodes-in-parallel} at once. Every part ends with an outcome, whatever happens.
 */
@Component
class NodeScanner {

    private final ScanConnections connections;
    private final ScanProperties properties;

    NodeScanner(ScanConnections connections, ScanProperties properties) {
        this.connections = connections;
        this.properties = properties;
    }

    /** Runs every part of the scan; an {@link Error} still ends the parts that had not ended, then goes on. */
    void run(RunningScan scan) {
        lowerPriority();
        try {
            List<RunningScan.Part> parts = scan.parts();
            if (parts.size() == 1) {
                runPart(scan, parts.get(0));
            }
            else {
                runParallel(scan, parts);
            }
        }
        catch (Error ex) {
            failUnended(scan, "The scan stopped: " + ex);
            throw ex;
        }
        catch (RuntimeException ex) {
            failUnended(scan, "The scan stopped: " + ex);
        }
    }

    private void lowerPriority() {
        if (properties.lowCpuPriority()) {
            LowCpuPriority.applyToCurrentThread();
        }
    }

    private void runParallel(RunningScan scan, List<RunningScan.Part> parts) {
        ExecutorService nodes = Executors.newFixedThreadPool(Math.min(parts.size(), properties.nodesInParallel()),
                DaemonThreads.numbered(Thread.currentThread().getName() + "-node-"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (RunningScan.Part part : parts) {
                running.add(nodes.submit(() -> {
                    lowerPriority();
                    runPart(scan, part);
                }));
            }
            for (Future<?> node : running) {
                node.get();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            scan.stop(RunningScan.StopReason.SHUTDOWN);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(ex.getCause());
        }
        finally {
            nodes.shutdownNow();
        }
    }

    /** One node, on the calling thread: its outcome goes into the part, whatever happens. */
    private void runPart(RunningScan scan, RunningScan.Part part) {
        ScanOutcome outcome;
        try (RespConnection connection = connections.open(part.target())) {
            outcome = new KeyspaceScanner(connection, scan.record().parameters(), part.accumulator(),
                    part.progress(), properties.timeout(), properties.batchesInFlight()).run(scan::stopRequested);
        }
        catch (RedisFailure failure) {
            // connecting failed (the scanner itself reports failures as an outcome)
            outcome = new ScanOutcome(ScanStatus.FAILED, "Could not connect to Redis: " + failure.reason());
        }
        catch (RuntimeException ex) {
            outcome = new ScanOutcome(ScanStatus.FAILED, "The scan stopped: " + ex);
        }
        catch (Error ex) {
            part.ended(new ScanOutcome(ScanStatus.FAILED, "The scan stopped: " + ex));
            throw ex;
        }
        part.ended(outcome);
    }

    private static void failUnended(RunningScan scan, String error) {
        scan.parts().stream().filter(p -> p.outcome() == null)
                .forEach(p -> p.ended(new ScanOutcome(ScanStatus.FAILED, error)));
    }
}
