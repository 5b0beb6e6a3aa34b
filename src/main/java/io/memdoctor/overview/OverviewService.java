package io.memdoctor.overview;

import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.LatestSamples;
import io.memdoctor.snapshots.SnapshotHistory;
import org.springframework.stereotype.Service;

/**
 * One card per instance: status and the newest values. Reads the store only, never waits on Redis, and reads no
 * history: one query answers the newest state of every instance.
 */
@Service
class OverviewService {

    private final InstanceService instances;
    private final SnapshotHistory history;

    OverviewService(InstanceService instances, SnapshotHistory history) {
        this.instances = instances;
        this.history = history;
    }

    List<InstanceCard> cards() {
        Map<InstanceId, LatestSamples.Latest> latest = history.latestOfAll();
        return instances.findAll().stream()
                .map(instance -> {
                    LatestSamples.Latest known = latest.get(instance.id());
                    return known != null ? InstanceCard.of(instance, known.status(), known.latestOk())
                            : InstanceCard.of(instance, history.statusOf(instance.id()),
                                    history.latestOk(instance.id()).orElse(null));
                })
                .toList();
    }
}
