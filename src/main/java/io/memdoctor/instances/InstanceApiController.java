package io.memdoctor.instances;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The watched instances, as JSON. */
@RestController
@RequestMapping("/api/instances")
class InstanceApiController {

    private final InstanceService instances;
    private final InstanceStatus.Source statuses;

    InstanceApiController(InstanceService instances, InstanceStatus.Source statuses) {
        this.instances = instances;
        this.statuses = statuses;
    }

    @GetMapping
    List<InstanceResponse> list() {
        return instances.findAll().stream()
                .map(instance -> InstanceResponse.of(instance, statuses.statusOf(instance.id())))
                .toList();
    }

    @GetMapping("/{id}")
    InstanceResponse get(@PathVariable String id) {
        Instance instance = instances.get(id);
        return InstanceResponse.of(instance, statuses.statusOf(instance.id()));
    }

    @PostMapping
    ResponseEntity<InstanceResponse> add(@RequestBody AddInstanceRequest request) {
        Instance instance = instances.add(request.name(), request.url());
        return ResponseEntity.created(URI.create("/api/instances/" + instance.id()))
                .body(InstanceResponse.of(instance, InstanceStatus.PENDING));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> remove(@PathVariable String id) {
        instances.remove(id);
        return ResponseEntity.noContent().build();
    }
}
