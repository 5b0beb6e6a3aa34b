package io.memdoctor.snapshots;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Triggers {@link SnapshotRetention} every minute. Only triggers; tests that move time themselves turn it off with
 * {@code memdoctor.retention.scheduled=false}.
 */
@Component
@ConditionalOnProperty(name = "memdoctor.retention.scheduled", havingValue = "true", matchIfMissing = true)
class RetentionScheduler {

    private final SnapshotRetention retention;

    RetentionScheduler(SnapshotRetention retention) {
        this.retention = retention;
    }

    @Scheduled(initialDelay = 20, fixedDelay = 60, timeUnit = TimeUnit.SECONDS)
    void trigger() {
        retention.run();
    }
}
