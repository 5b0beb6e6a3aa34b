package io.memdoctor.sampling;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.memdoctor.config.DaemonThreads;
import io.memdoctor.config.MemDoctorProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Triggers {@link Sampler#sampleAll} every {@code memdoctor.sampling.interval} for the instances this dashboard owns
 * ({@link SamplingOwnership}: all of them, unless replicas share the work). Only triggers: the sampler does the work,
 * so the tick itself takes microseconds (a lease renewal per instance with replicas) and never drifts behind a slow
 * Redis.
 */
@Component
class SamplingScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SamplingScheduler.class);

    private final Sampler sampler;
    private final MemDoctorProperties.Sampling settings;
    private final SamplingOwnership ownership;
    private volatile ScheduledExecutorService scheduler;

    SamplingScheduler(Sampler sampler, MemDoctorProperties properties, ObjectProvider<SamplingOwnership> ownership) {
        this.sampler = sampler;
        this.settings = properties.sampling();
        this.ownership = ownership.getIfAvailable(() -> SamplingOwnership.EVERYTHING);
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            log.info("Scheduled sampling is off (memdoctor.sampling.enabled=false)");
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sampling-trigger"));
        long interval = settings.interval().toMillis();
        long delay = ownership.alignTicks() ? interval - System.currentTimeMillis() % interval : 0;
        scheduler.scheduleAtFixedRate(this::tick, delay, interval, TimeUnit.MILLISECONDS);
        log.info("Sampling every {} (timeout {})", settings.interval(), settings.timeout());
    }

    private void tick() {
        try {
            sampler.sampleAll(ownership::claim);
        }
        catch (RuntimeException ex) {
            // a failed tick must not cancel the schedule
            log.warn("Sampling tick failed: {}", ex.getMessage());
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
            ownership.release();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
