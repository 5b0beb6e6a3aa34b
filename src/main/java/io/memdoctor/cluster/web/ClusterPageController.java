package io.memdoctor.cluster.web;

import io.github.wimdeblauwe.htmx.spring.boot.mvc.HxRequest;
import io.memdoctor.cluster.ClusterReports;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceNotFoundException;
import io.memdoctor.instances.InstanceService;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The cluster page: totals, the shards' memory on one chart (drawn by {@code cluster.js} from the JSON API, failovers
 * marked), imbalance, checks across shards, the node table and the timeline; the summary refreshes itself.
 */
@Controller
class ClusterPageController {

    private final InstanceService instances;
    private final ClusterReports reports;

    ClusterPageController(InstanceService instances, ClusterReports reports) {
        this.instances = instances;
        this.reports = reports;
    }

    @GetMapping("/clusters/{id}")
    String page(@PathVariable String id, Model model) {
        summary(id, model);
        return "cluster/page";
    }

    @HxRequest
    @GetMapping("/clusters/{id}")
    String summary(@PathVariable String id, Model model) {
        Instance cluster = cluster(id);
        model.addAttribute("cluster", cluster);
        model.addAttribute("s", reports.summary(cluster));
        return "cluster/partials :: summary";
    }

    /**
     * The cluster's diagnosis of the last hour, loaded by the page after it is drawn and refreshing itself: every
     * node's verdict, the most serious naming its shard.
     */
    @GetMapping("/clusters/{id}/diagnosis")
    String diagnosis(@PathVariable String id, Model model, HttpServletResponse response) {
        Instance cluster = cluster(id);
        model.addAttribute("cluster", cluster);
        model.addAttribute("d", reports.diagnosis(cluster, null, null));
        response.addHeader("Cache-Control", "no-store");
        return "cluster/partials :: diagnosis";
    }

    private Instance cluster(String id) {
        Instance cluster = instances.get(id);
        if (!cluster.isCluster()) {
            throw new InstanceNotFoundException(id);
        }
        return cluster;
    }
}
