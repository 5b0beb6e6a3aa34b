package io.memdoctor.cluster;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.memdoctor.config.DaemonThreads;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.SnapshotStored;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps every cluster's topology current: reads it every {@code memdoctor.clusters.refresh} on its own schedule
 * (whether sampling is scheduled or not; {@code memdoctor.clusters.scheduled=false} turns it off), and at once when
 * a node's sample fails or shows a role other than the one stored (a failover), so a failover is followed within a
 * sampling interval or two. Each round also probes servers that never answered the
 * cluster probe (configured ones, ones down when added). Only triggers: {@link TopologySync} does the work, on
 * this class's single thread.
 */
@Component
class ClusterFollower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterFollower.class);

    private final InstanceService instances;
    private final TopologySync sync;
    private final ClusterDiscovery discovery;
    private final ClusterProperties settings;
    private final boolean scheduled;
    private final Clock clock;
    private final Set<InstanceId> pending = ConcurrentHashMap.newKeySet();
    private final Map<InstanceId, Long> lastTriggered = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService worker;

    ClusterFollower(InstanceService instances, TopologySync sync, ClusterDiscovery discovery,
            ClusterProperties settings, Clock clock) {
        this.instances = instances;
        this.sync = sync;
        this.discovery = discovery;
        this.settings = settings;
        this.scheduled = settings.scheduled();
        this.clock = clock;
    }

    @Override
    public void start() {
        worker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cluster-follower"));
        if (scheduled) {
            worker.scheduleWithFixedDelay(this::round, 0, settings.refresh().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Following cluster topologies every {}", settings.refresh());
        }
    }

    /** Every cluster read again, every server not yet probed asked. */
    void round() {
        try {
            for (Instance instance : instances.findAll()) {
                if (instance.isCluster()) {
                    syncQuietly(instance);
                }
                else if (!instance.isNode()) {
                    discovery.probeLate(instance);
                }
            }
        }
        catch (RuntimeException ex) {
            // a failed round must not cancel the schedule
            log.warn("Cluster round failed: {}", ex.getMessage());
        }
    }

    /** A node's sample that failed or shows another role than the stored one: its cluster is read again soon. */
    @EventListener
    void onStored(SnapshotStored event) {
        Snapshot snapshot = event.snapshot();
        NodeRow row = sync.known(snapshot.instanceId());
        if (row == null) {
            return;
        }
        String role = snapshot.getText(Metric.ROLE);
        boolean changed = !snapshot.isOk() || row.failed() || role != null
                && ("master".equals(role) != (row.role() == ClusterTopology.Role.PRIMARY));
        if (changed) {
            trigger(row.cluster());
        }
    }

    private void trigger(InstanceId cluster) {
        ScheduledExecutorService current = worker;
        long now = clock.millis();
        Long last = lastTriggered.get(cluster);
        if (current == null || last != null && now - last < settings.minGap().toMillis() || !pending.add(cluster)) {
            return;
        }
        lastTriggered.put(cluster, now);
        try {
            current.execute(() -> {
                pending.remove(cluster);
                instances.find(cluster).filter(Instance::isCluster).ifPresent(this::syncQuietly);
            });
        }
        catch (RejectedExecutionException ex) {
            pending.remove(cluster);
        }
    }

    private void syncQuietly(Instance cluster) {
        try {
            sync.sync(cluster);
        }
        catch (RuntimeException ex) {
            log.debug("Cluster {}: topology not read: {}", cluster.id(), ex.getMessage());
        }
    }

    @Override
    public void stop() {
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
