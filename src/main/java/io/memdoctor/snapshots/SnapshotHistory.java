package io.memdoctor.snapshots;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceStatus;
import org.springframework.stereotype.Service;

/**
 * The recorded history of the instances, as other features and controllers read it: the newest sample, the
 * status it implies, a chart's range and the window a rule reads. The store stays behind this service.
 */
@Service
public class SnapshotHistory implements InstanceStatus.Source {

    private final SnapshotRepository repository;
    private final RangeReader ranges;
    private final SampleWindow windows;

    SnapshotHistory(SnapshotRepository repository, RangeReader ranges, SampleWindow windows) {
        this.repository = repository;
        this.ranges = ranges;
        this.windows = windows;
    }

    /** The newest sample, failed or not. */
    public Optional<Snapshot> latest(InstanceId id) {
        return repository.latest(id);
    }

    /**
     * The newest state of every instance in one read (the overview: one row per instance, no history read). An
     * instance absent from the answer has no sample since this was introduced: ask {@link #statusOf} and
     * {@link #latestOk} for it.
     */
    public Map<InstanceId, LatestSamples.Latest> latestOfAll() {
        return repository.latestOfAll();
    }

    /** The newest successful sample. */
    public Optional<Snapshot> latestOk(InstanceId id) {
        return repository.latestOk(id);
    }

    /** The instance's status from its newest samples; {@link InstanceStatus#PENDING} before the first. */
    @Override
    public InstanceStatus statusOf(InstanceId id) {
        return repository.latest(id)
                .map(latest -> latest.isOk()
                        ? new InstanceStatus("OK", latest.timestamp(), null, null)
                        : new InstanceStatus(latest.status().name(), latest.timestamp(),
                                repository.downSince(id).orElse(latest.timestamp()), latest.error()))
                .orElse(InstanceStatus.PENDING);
    }

    /** The full text of the newest successful {@code INFO all}. */
    public Optional<String> infoText(InstanceId id) {
        return repository.infoText(id).map(SnapshotRepository.InfoText::text);
    }

    /** What replication costs the instance in memory, from its newest sample and INFO text. */
    public ReplicationMemory replicationMemory(InstanceId id) {
        return ReplicationMemory.of(latestOk(id).orElse(null), infoText(id).orElse(null));
    }

    /** The key-size histograms of the newest INFO text (Redis 8+); empty on servers without {@code INFO keysizes}. */
    public KeySizes keySizes(InstanceId id) {
        return KeySizes.parse(infoText(id).orElse(null));
    }

    /**
     * For charts: the samples of {@code [from, to)} in time order, reduced to about {@code maxPoints} min/max points
     * when there are more, so spikes survive.
     */
    public HistoryResult range(InstanceId id, Instant from, Instant to, int maxPoints) {
        return ranges.read(id, from, to, maxPoints);
    }

    /**
     * For rules: the samples of {@code [from, to)} in strict time order, raw while there are few enough, so first
     * and last values and fitted lines are real samples (see {@link SampleWindow}).
     */
    public List<Snapshot> window(InstanceId id, Instant from, Instant to, int maxPoints) {
        return windows.read(id, from, to, maxPoints);
    }

    /**
     * @param points the series, in time order
     * @param samples how many samples the range held (those summarised by rollups included)
     * @param bucket the bucket width when the series was reduced, {@code null} when every sample is there
     */
    public record HistoryResult(List<Snapshot> points, long samples, Duration bucket) {

        public boolean downsampled() {
            return bucket != null;
        }
    }
}
