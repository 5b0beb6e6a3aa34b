package io.memdoctor.snapshots;

import java.util.concurrent.TimeUnit;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Triggers {@link SnapshotRetention} every minute. Only triggers; tests that move time themselves turn it off with
 * {@code memdoctor.retention.scheduled=false}. When replicas share the store ({@code replicas.ReplicaConfiguration})
 * ShedLock lets one of them run it per minute; a single dashboard ignores the lock.
 */
@Component
@ConditionalOnProperty(name = "memdoctor.retention.scheduled", havingValue = "true", matchIfMissing = true)
class RetentionScheduler {

    private final SnapshotRetention retention;

    RetentionScheduler(SnapshotRetention retention) {
        this.retention = retention;
    }

    @Scheduled(initialDelay = 20, fixedDelay = 60, timeUnit = TimeUnit.SECONDS)
    @SchedulerLock(name = "retention", lockAtMostFor = "10m", lockAtLeastFor = "50s")
    void trigger() {
        retention.run();
    }
}
