package io.memdoctor.scans;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.memdoctor.scans.engine.ScanProgress;
import io.memdoctor.scans.store.ScanPart;
import io.memdoctor.scans.store.ScanRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every {@link #EVERY_SECONDS} s, writes the progress of the scans this dashboard runs into their rows (each node's of
 * a cluster scan into its part), so that every replica sharing the store shows it, and stops those another replica
 * asked to cancel (every node of a cluster scan stops). With replicas, it also marks
 * INTERRUPTED the scans whose replica stopped beating ({@link #STALE}): a replica that died mid-scan.
 */
@Component
class ScanHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(ScanHeartbeat.class);
    static final long EVERY_SECONDS = 2;
    /** Fifteen missed beats: a replica paused by a long GC or a busy machine is not declared dead. */
    static final Duration STALE = Duration.ofSeconds(EVERY_SECONDS * 15);
    static final String DIED_REASON = "The dashboard replica running this scan stopped.";

    private final ScanRunner runner;
    private final ScanRepository repository;
    private final ScanReplica replica;
    private final Clock clock;

    ScanHeartbeat(ScanRunner runner, ScanRepository repository, ObjectProvider<ScanReplica> replica, Clock clock) {
        this.runner = runner;
        this.repository = repository;
        this.replica = replica.getIfAvailable(() -> ScanReplica.ALONE);
        this.clock = clock;
    }

    @Scheduled(fixedDelay = EVERY_SECONDS, initialDelay = EVERY_SECONDS, timeUnit = TimeUnit.SECONDS)
    void beat() {
        Instant now = clock.instant();
        for (RunningScan scan : runner.running()) {
            try {
                ScanProgress.Reading progress = scan.progress();
                List<ScanPart> parts = scan.parts().stream().map(part -> part.view(false)).toList();
                if (repository.heartbeat(scan.record().id(), replica.id(), now, progress.keysTotal(),
                        progress.keysScanned(), parts)) {
                    log.info("Scan {} cancelled at another replica's request", scan.record().id());
                    scan.stop(RunningScan.StopReason.CANCELLED);
                }
            }
            catch (RuntimeException ex) {
                // a store that is briefly unavailable: the next beat writes again
                log.debug("Heartbeat of scan {} not written: {}", scan.record().id(), ex.getMessage());
            }
        }
        if (replica.shared()) {
            int died = repository.interruptRunning(now, now.minus(STALE), DIED_REASON);
            if (died > 0) {
                log.info("Marked {} scan(s) of a replica that stopped beating as INTERRUPTED", died);
            }
        }
    }
}
