package io.memdoctor.overview;

import java.time.Instant;
import java.util.List;

import io.memdoctor.alerts.Alert;
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
 * @param tags the instance's tags, sorted
 * @param attention the worst reason to look at it: DOWN, FULL, ALERT or NONE
 * @param fullIn the forecast's short text ("full in 3 h 20 min", "at its maxmemory ceiling") when under a day
 * @param firing the firing alerts, most severe first
 */
public record InstanceCard(String id, String name, String url, String status, Instant downSince, String reason,
        Instant lastSampleAt, Instant valuesAt, Long usedMemory, Long maxmemory, Long totalSystemMemory,
        Long usedMemoryRss, Double memFragmentationRatio, Long allocatorWasteBytes, Long keys, Long expires,
        String maxmemoryPolicy, boolean persistenceActive, String server, List<String> tags, Attention attention, String fullIn,
        List<Alert> firing) {

    /** A card without tags, forecast or alerts: its attention from status and memory alone. */
    static InstanceCard of(Instance instance, InstanceStatus status, Snapshot latestOk) {
        return of(instance, status, latestOk, List.of(), null, List.of());
    }

    static InstanceCard of(Instance instance, InstanceStatus status, Snapshot latestOk, List<String> tags,
            String fullIn, List<Alert> firing) {
        Snapshot s = latestOk;
        Long used = s == null ? null : s.getLong(Metric.USED_MEMORY);
        Long max = s == null ? null : s.getLong(Metric.MAXMEMORY);
        Long system = s == null ? null : s.getLong(Metric.TOTAL_SYSTEM_MEMORY);
        Attention attention = attention(status.state(), fraction(used, max != null && max > 0 ? max : system), fullIn,
                firing);
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
                ServerIdentity.of(s), List.copyOf(tags), attention, fullIn, List.copyOf(firing));
    }

    private static Attention attention(String state, Double usedFraction, String fullIn, List<Alert> firing) {
        if ("UNREACHABLE".equals(state) || "ERROR".equals(state)) {
            return Attention.DOWN;
        }
        if (fullIn != null || usedFraction != null && usedFraction >= Attention.NEAR_FULL) {
            return Attention.FULL;
        }
        if (firing.stream().anyMatch(alert -> !alert.silenced())) {
            return Attention.ALERT;
        }
        return Attention.NONE;
    }

    private static Double fraction(Long used, Long limit) {
        return used == null || limit == null || limit <= 0 ? null : (double) used / limit;
    }

    /** This card with a forecast made after it was built. */
    InstanceCard withFullIn(String text) {
        return new InstanceCard(id, name, url, status, downSince, reason, lastSampleAt, valuesAt, usedMemory, maxmemory,
                totalSystemMemory, usedMemoryRss, memFragmentationRatio, allocatorWasteBytes, keys, expires,
                maxmemoryPolicy, persistenceActive, server, tags, attention(status, usedFraction(), text, firing), text, firing);
    }

    /** used_memory over the memory limit the bar is drawn against, {@code null} when unknown. */
    public Double usedFraction() {
        return fraction(usedMemory, memoryLimit());
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
