package io.memdoctor.sampling;

import java.net.URI;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sampling on demand, beside the history's JSON API at the same path (here, so history does not call sampling). */
@RestController
class SamplingApiController {

    private final InstanceService instances;
    private final Sampler sampler;

    SamplingApiController(InstanceService instances, Sampler sampler) {
        this.instances = instances;
        this.sampler = sampler;
    }

    /** Takes a sample now (whatever the schedule) and answers with it. */
    @PostMapping("/api/instances/{id}/snapshots")
    ResponseEntity<SnapshotResponse> sampleNow(@PathVariable String id) {
        Instance instance = instances.get(id);
        Snapshot snapshot = sampler.sample(instance);
        return ResponseEntity.created(URI.create("/api/instances/" + instance.id() + "/snapshots/latest"))
                .body(SnapshotResponse.of(snapshot));
    }
}
