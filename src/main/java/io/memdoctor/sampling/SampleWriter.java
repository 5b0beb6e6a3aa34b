package io.memdoctor.sampling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.memdoctor.config.DaemonThreads;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores finished samples in batches: the first result to arrive schedules a flush {@value #WINDOW_MS} ms later,
 * which writes everything that arrived by then (the rows, {@code snapshot_latest}, the INFO texts) in one
 * transaction, then publishes a {@link SnapshotStored} per sample. The healthy instances of a tick answer within
 * milliseconds of each other, so they share one transaction; a sample that ends later (a timeout) shares the next.
 * One thread writes, so the store sees one writer whatever the fleet's size.
 */
@Component
class SampleWriter {

    static final long WINDOW_MS = 100;
    private static final Logger log = LoggerFactory.getLogger(SampleWriter.class);

    private final InstanceService instances;
    private final SnapshotRepository repository;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final ConcurrentLinkedQueue<SnapshotCollector.Collected> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService writer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sample-writer"));

    SampleWriter(InstanceService instances, SnapshotRepository repository, PlatformTransactionManager transactions,
            ApplicationEventPublisher events, MeterRegistry meters) {
        this.instances = instances;
        this.repository = repository;
        this.transactions = new TransactionTemplate(transactions);
        this.events = events;
        this.meters = meters;
        meters.gauge("memdoctor.sampler.store.pending", pending, ConcurrentLinkedQueue::size);
    }

    /** Queues a finished sample; it is stored within about {@value #WINDOW_MS} ms. */
    void add(SnapshotCollector.Collected collected) {
        pending.add(collected);
        if (scheduled.compareAndSet(false, true)) {
            try {
                writer.schedule(this::flush, WINDOW_MS, TimeUnit.MILLISECONDS);
            }
            catch (java.util.concurrent.RejectedExecutionException ex) {
                // shutting down: nothing more is stored
            }
        }
    }

    /** Stores one sample now, on the caller's thread (a sample taken on demand answers with what was stored). */
    void storeNow(SnapshotCollector.Collected collected) {
        store(List.of(collected));
    }

    private void flush() {
        scheduled.set(false);
        List<SnapshotCollector.Collected> batch = new ArrayList<>();
        for (SnapshotCollector.Collected next; (next = pending.poll()) != null;) {
            batch.add(next);
        }
        if (!batch.isEmpty()) {
            store(batch);
        }
    }

    private void store(List<SnapshotCollector.Collected> batch) {
        Set<InstanceId> watched = instances.ids();
        // an instance removed while its sample ran (its removal closes the connection, which ends the sample at
        // once): storing it would leave a row nothing shows and nothing cleans up
        List<SnapshotCollector.Collected> watchedOnes = batch.stream()
                .filter(collected -> watched.contains(collected.snapshot().instanceId())).toList();
        if (watchedOnes.isEmpty()) {
            return;
        }
        List<SnapshotCollector.Collected> kept = watchedOnes;
        try {
            transactions.executeWithoutResult(status -> write(watchedOnes));
        }
        catch (RuntimeException ex) {
            // a store that is shutting down, or one row that cannot be written: keep what can be kept
            log.debug("Could not store {} samples in one batch ({}); storing them one by one", kept.size(),
                    ex.getMessage());
            kept = watchedOnes.stream().filter(this::writeAlone).toList();
        }
        kept.forEach(collected -> {
            Snapshot snapshot = collected.snapshot();
            meters.counter("memdoctor.sampler.samples", "instance", snapshot.instanceId().value(), "status",
                    snapshot.status().name()).increment();
            events.publishEvent(new SnapshotStored(snapshot));
        });
    }

    private void write(List<SnapshotCollector.Collected> batch) {
        Map<InstanceId, SnapshotRepository.InfoText> texts = new HashMap<>();
        for (SnapshotCollector.Collected collected : batch) {
            Snapshot snapshot = collected.snapshot();
            if (collected.infoText() != null) {
                // the newest text of each instance, should one batch hold two of its samples
                texts.merge(snapshot.instanceId(),
                        new SnapshotRepository.InfoText(snapshot.timestamp(), collected.infoText()),
                        (a, b) -> a.sampledAt().isAfter(b.sampledAt()) ? a : b);
            }
        }
        repository.saveBatch(batch.stream().map(SnapshotCollector.Collected::snapshot).toList(), texts);
    }

    private boolean writeAlone(SnapshotCollector.Collected collected) {
        try {
            transactions.executeWithoutResult(status -> write(List.of(collected)));
            return true;
        }
        catch (RuntimeException ex) {
            log.debug("Could not store sample of {}: {}", collected.snapshot().instanceId(), ex.getMessage());
            return false;
        }
    }

    @PreDestroy
    void shutdown() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(2, TimeUnit.SECONDS);
    }
}
