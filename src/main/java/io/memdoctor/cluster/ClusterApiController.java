package io.memdoctor.cluster;

import io.memdoctor.instances.InstanceService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A cluster's topology as JSON. */
@RestController
@RequestMapping("/api/instances/{id}")
class ClusterApiController {

    private final InstanceService instances;
    private final Clusters clusters;

    ClusterApiController(InstanceService instances, Clusters clusters) {
        this.instances = instances;
        this.clusters = clusters;
    }

    /** A cluster's nodes (role, primary, slots, the instance each is sampled as), or a server's one node. */
    @GetMapping("/topology")
    TopologyResponse topology(@PathVariable String id) {
        return TopologyResponse.of(clusters.topology(instances.get(id)));
    }
}
