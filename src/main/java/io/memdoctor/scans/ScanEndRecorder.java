package io.memdoctor.scans;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.instances.Instance;
import io.memdoctor.redis.RedisGateway;
import io.memdoctor.scans.engine.ScanOutcome;
import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanPart;
import io.memdoctor.scans.store.ScanRecord;
import io.memdoctor.scans.store.ScanRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Stores how a scan ended (its status, its results, each node's part) and keeps the newest scans per instance. */
@Component
class ScanEndRecorder {

    private static final Logger log = LoggerFactory.getLogger(ScanEndRecorder.class);

    private final ScanRepository repository;
    private final ScanProperties properties;
    private final Clock clock;

    ScanEndRecorder(ScanRepository repository, ScanProperties properties, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    /** Records the end; a store that fails (going away at shutdown) leaves the row for the next start to mark. */
    void record(RunningScan scan) {
        ScanRecord record = scan.record();
        try {
            ScanOutcome outcome = outcome(scan.parts());
            ScanStatus status = outcome.status();
            String error = outcome.error();
            if (status == ScanStatus.CANCELLED && scan.stopReason() == RunningScan.StopReason.SHUTDOWN) {
                status = ScanStatus.INTERRUPTED;
                error = ScanRunner.INTERRUPTED_REASON;
            }
            ScanProgress.Reading progress = scan.progress();
            long elapsed = Math.round(progress.elapsedSeconds() * 1000);
            List<ScanPart> parts = scan.parts().stream().map(p -> {
                ScanPart part = p.view(true);
                return new ScanPart(part.node(), part.role(), part.primary(), part.status(), part.keysTotal(),
                        part.keysScanned(), part.elapsedMillis(), scrub(part.error(), scan.instance()), part.keys(),
                        part.bytes());
            }).toList();
            repository.finish(record.ended(status, clock.instant(), progress.keysTotal(), progress.keysScanned(),
                    elapsed, scrub(error, scan.instance()), scan.results(), parts));
            repository.trim(record.instanceId(), properties.keepPerInstance());
            log.info("Scan {} of {} ended {}: {} keys in {} s{}", record.id(), record.instanceId(), status,
                    progress.keysScanned(), Duration.ofMillis(elapsed).toSeconds(),
                    error == null ? "" : " (" + scrub(error, scan.instance()) + ")");
        }
        catch (RuntimeException ex) {
            log.warn("Could not record the end of scan {}: {}", record.id(), ex.getMessage());
        }
    }

    /**
     * How the whole scan ended: as its one node did; for several nodes, FAILED when one failed (naming it; the
     * others' results are kept), else CANCELLED when one was stopped, else DONE.
     */
    static ScanOutcome outcome(List<RunningScan.Part> parts) {
        if (parts.size() == 1) {
            ScanOutcome only = parts.get(0).outcome();
            return only != null ? only : new ScanOutcome(ScanStatus.FAILED, "The scan stopped.");
        }
        List<String> failed = new ArrayList<>();
        boolean cancelled = false;
        for (RunningScan.Part part : parts) {
            ScanOutcome how = part.outcome();
            if (how == null || how.status() == ScanStatus.FAILED) {
                failed.add(part.target().node() + " (" + part.target().role() + ") failed: "
                        + (how == null ? "it did not end" : how.error()));
            }
            cancelled |= how != null && how.status() == ScanStatus.CANCELLED;
        }
        if (!failed.isEmpty()) {
            return new ScanOutcome(ScanStatus.FAILED, failed.size() + " of " + parts.size() + " nodes failed; the"
                    + " results of the others are kept. " + String.join("; ", failed));
        }
        return new ScanOutcome(cancelled ? ScanStatus.CANCELLED : ScanStatus.DONE, null);
    }

    /** Error texts come from Redis and the driver: no password, no control character that could forge a log line. */
    static String scrub(String text, Instance instance) {
        return RedisGateway.scrub(text, instance);
    }
}
