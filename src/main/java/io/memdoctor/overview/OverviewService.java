package io.memdoctor.overview;

import java.util.List;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.SnapshotHistory;
import org.springframework.stereotype.Service;

/** One card per instance: status and the newest values. Reads the store only; never waits on Redis. */
@Service
class OverviewService {

    private final InstanceService instances;
    private final SnapshotHistory history;

    OverviewService(InstanceService instances, SnapshotHistory history) {
        this.instances = instances;
        this.history = history;
    }

    List<InstanceCard> cards() {
        return instances.findAll().stream()
                .map(instance -> InstanceCard.of(instance, history.statusOf(instance.id()),
                        history.latestOk(instance.id()).orElse(null)))
                .toList();
    }
}
