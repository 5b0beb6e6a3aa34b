package io.memdoctor.snapshots;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceStatus;
import org.springframework.stereotype.Component;

/** Derives an instance's status from its newest samples. */
@Component
class InstanceHealth implements InstanceStatus.Source {

    private final SnapshotRepository repository;

    InstanceHealth(SnapshotRepository repository) {
        this.repository = repository;
    }

    @Override
    public InstanceStatus statusOf(InstanceId id) {
        return repository.latest(id)
                .map(latest -> latest.isOk()
                        ? new InstanceStatus("OK", latest.timestamp(), null, null)
                        : new InstanceStatus(latest.status().name(), latest.timestamp(),
                                repository.downSince(id).orElse(latest.timestamp()), latest.error()))
                .orElse(InstanceStatus.PENDING);
    }
}
