package io.memdoctor.overview;

import java.util.List;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InstanceStatus;
import io.memdoctor.snapshots.SnapshotRepository;
import org.springframework.stereotype.Service;

/** One card per instance: status and the newest values. Reads the store only; never waits on Redis. */
@Service
class OverviewService {

    private final InstanceService instances;
    private final InstanceStatus.Source statuses;
    private final SnapshotRepository snapshots;

    OverviewService(InstanceService instances, InstanceStatus.Source statuses, SnapshotRepository snapshots) {
        this.instances = instances;
        this.statuses = statuses;
        this.snapshots = snapshots;
    }

    List<InstanceCard> cards() {
        return instances.findAll().stream()
                .map(instance -> InstanceCard.of(instance, statuses.statusOf(instance.id()),
                        snapshots.latestOk(instance.id()).orElse(null)))
                .toList();
    }
}
