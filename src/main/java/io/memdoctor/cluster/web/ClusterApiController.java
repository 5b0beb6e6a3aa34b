package io.memdoctor.cluster.web;

import java.time.Clock;

import io.memdoctor.cluster.ClusterReports;
import io.memdoctor.cluster.Clusters;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceNotFoundException;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.HistoryRange;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A cluster as JSON: its topology (the contract), its summary and each shard's memory over time. */
@RestController
class ClusterApiController {

    private final InstanceService instances;
    private final Clusters clusters;
    private final ClusterReports reports;
    private final Clock clock;

    ClusterApiController(InstanceService instances, Clusters clusters, ClusterReports reports, Clock clock) {
        this.instances = instances;
        this.clusters = clusters;
        this.reports = reports;
        this.clock = clock;
    }

    /** A cluster's nodes (role, primary, slots, the instance each is sampled as), or a server's one node. */
    @GetMapping("/api/instances/{id}/topology")
    TopologyResponse topology(@PathVariable String id) {
        return TopologyResponse.of(clusters.topology(instances.get(id)));
    }

    /** The cluster page's content: totals, imbalance, checks across shards, nodes, timeline. */
    @GetMapping("/api/clusters/{id}")
    ClusterResponse summary(@PathVariable String id) {
        return ClusterResponse.of(reports.summary(cluster(id)));
    }

    /** Used memory and RSS of each shard over a range (default the last hour), with the failovers in it. */
    @GetMapping("/api/clusters/{id}/history")
    io.memdoctor.cluster.ShardHistory history(@PathVariable String id,
            @RequestParam(required = false) java.time.Instant from, @RequestParam(required = false) java.time.Instant to,
            @RequestParam(required = false) Integer maxPoints) {
        Instance cluster = cluster(id);
        HistoryRange range = HistoryRange.of(from, to, maxPoints == null ? 500 : maxPoints, clock);
        return reports.shardHistory(cluster, range.from(), range.to(), range.maxPoints());
    }

    /** Each node's diagnosis over a range (default the last hour); the most serious names its shard. */
    @GetMapping("/api/clusters/{id}/diagnosis")
    io.memdoctor.cluster.ClusterDiagnosis diagnosis(@PathVariable String id,
            @RequestParam(required = false) java.time.Instant from, @RequestParam(required = false) java.time.Instant to) {
        return reports.diagnosis(cluster(id), from, to);
    }

    private Instance cluster(String id) {
        Instance instance = instances.get(id);
        if (!instance.isCluster()) {
            throw new InstanceNotFoundException(id);
        }
        return instance;
    }
}
