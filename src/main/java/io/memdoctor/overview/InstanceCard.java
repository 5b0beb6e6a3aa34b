package io.memdoctor.overview;

import java.time.Instant;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.FragmentationLevel;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.ServerIdentity;
import io.memdoctor.snapshots.Snapshot;

/**
 * What a card on the overview shows, also the JSON of {@code GET /api/overview}. Values come from the newest
 * successful sample, so a down instance still shows what it looked like last.
 *
 * @param id instance id
 * @param name display name
 * @param url redacted URL
 * @param status OK, UNREACHABLE, ERROR or PENDING
 * @param downSince start of the current outage
 * @param reason why the newest sample failed
 * @param lastSampleAt time of the newest sample
 * @param valuesAt time of the sample the values come from
 * @param usedMemory used_memory
 * @param maxmemory maxmemory (0: no limit)
 * @param totalSystemMemory total_system_memory
 * @param usedMemoryRss used_memory_rss
 * @param memFragmentationRatio mem_fragmentation_ratio
 * @param allocatorWasteBytes allocator_frag_bytes + allocator_rss_bytes, {@code null} when not reported
 * @param keys keys over all databases
 * @param expires keys with a TTL over all databases
 * @param maxmemoryPolicy maxmemory_policy
 * @param persistenceActive whether a BGSAVE or AOF rewrite was running
 * @param server the server as people name it ("Redis 7.4.1", "Valkey 8.0.1"), see {@link ServerIdentity}
 */
public record InstanceCard(String id, String name, String url, String status, Instant downSince, String reason,
        Instant lastSampleAt, Instant valuesAt, Long usedMemory, Long maxmemory, Long totalSystemMemory,
        Long usedMemoryRss, Double memFragmentationRatio, Long allocatorWasteBytes, Long keys, Long expires,
        String maxmemoryPolicy, boolean persistenceActive, String server) {

    static InstanceCard of(Instance instance, InstanceStatus status, Snapshot latestOk) {
        Snapshot s = latestOk;
        return new InstanceCard(instance.id().value(), instance.name(), instance.url().redacted(), status.state(),
                status.downSince(), status.reason(), status.lastSampleAt(), s == null ? null : s.timestamp(),
                s == null ? null : s.getLong(Metric.USED_MEMORY), s == null ? null : s.getLong(Metric.MAXMEMORY),
                s == null ? null : s.getLong(Metric.TOTAL_SYSTEM_MEMORY),
                s == null ? null : s.getLong(Metric.USED_MEMORY_RSS),
                s == null ? null : s.getDouble(Metric.MEM_FRAGMENTATION_RATIO),
                s == null ? null : FragmentationLevel.allocatorWaste(s),
                s == null ? null : s.getLong(Metric.KEYS), s == null ? null : s.getLong(Metric.EXPIRES),
                s == null ? null : s.getText(Metric.MAXMEMORY_POLICY),
                s != null && (one(s, Metric.RDB_BGSAVE_IN_PROGRESS) || one(s, Metric.AOF_REWRITE_IN_PROGRESS)),
                ServerIdentity.of(s));
    }

    private static boolean one(Snapshot snapshot, Metric metric) {
        Long value = snapshot.getLong(metric);
        return value != null && value > 0;
    }

    /** The memory limit the bar is drawn against: maxmemory, else the host's memory. */
    public Long memoryLimit() {
        return maxmemory != null && maxmemory > 0 ? maxmemory : totalSystemMemory;
    }

    public boolean hasMaxmemory() {
        return maxmemory != null && maxmemory > 0;
    }

    /** How alarming the fragmentation ratio is (see {@link FragmentationLevel}). */
    public FragmentationLevel fragmentation() {
        return FragmentationLevel.shown(memFragmentationRatio, usedMemory, usedMemoryRss, allocatorWasteBytes);
    }
}
