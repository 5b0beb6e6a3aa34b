package io.memdoctor.instances;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The watched instances, as JSON. */
@RestController
@RequestMapping("/api/instances")
class InstanceApiController {

    private final InstanceService instances;
    private final InstanceStatus.Source statuses;
    private final MemoryLimits limits;

    InstanceApiController(InstanceService instances, InstanceStatus.Source statuses, MemoryLimits limits) {
        this.instances = instances;
        this.limits = limits;
        this.statuses = statuses;
    }

    /** Every instance, or those that carry every {@code tag} given ({@code ?tag=env:prod&tag=team:a}). */
    @GetMapping
    List<InstanceResponse> list(@RequestParam(name = "tag", required = false) List<String> tag) {
        List<String> required = InstanceTags.valid(tag);
        Map<InstanceId, List<String>> tags = instances.tagsOfAll();
        return instances.findTagged(required).stream()
                .map(instance -> InstanceResponse.of(instance, statuses.statusOf(instance.id()),
                        tags.getOrDefault(instance.id(), List.of())))
                .toList();
    }

    @GetMapping("/{id}")
    InstanceResponse get(@PathVariable String id) {
        Instance instance = instances.get(id);
        return InstanceResponse.of(instance, statuses.statusOf(instance.id()), instances.tagsOf(instance.id()));
    }

    @PostMapping
    ResponseEntity<InstanceResponse> add(@RequestBody AddInstanceRequest request) {
        Instance instance = instances.add(request.name(), request.url(), request.tags(), request.memoryLimit());
        return ResponseEntity.created(URI.create("/api/instances/" + instance.id()))
                .body(InstanceResponse.of(instance, InstanceStatus.PENDING, instances.tagsOf(instance.id())));
    }

    /** Replaces the instance's tags ({@code {"tags": ["env:prod"]}}); a configured instance gets its configured
     * tags back at the next start. */
    @PutMapping("/{id}/tags")
    InstanceResponse retag(@PathVariable String id, @RequestBody TagsRequest request) {
        instances.retag(id, request.tags());
        return get(id);
    }

    /** Declares the memory limit of the instance's container ({@code {"memoryLimit": 1073741824}}), or clears it
     * ({@code null}); a configured instance gets its configured limit back at the next start. */
    @PutMapping("/{id}/memory-limit")
    InstanceResponse limitMemory(@PathVariable String id, @RequestBody MemoryLimitRequest request) {
        limits.declare(id, request.memoryLimit());
        return get(id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> remove(@PathVariable String id) {
        instances.remove(id);
        return ResponseEntity.noContent().build();
    }
}
