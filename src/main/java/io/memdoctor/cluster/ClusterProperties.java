package io.memdoctor.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code memdoctor.clusters}.
 *
 * @param refresh how often each cluster's topology is read again (also after a node's sample fails or shows a new
 *     role, at most once per {@code min-gap}); and how often servers not yet probed are asked whether they are
 *     in cluster mode
 * @param minGap the shortest time between two reads of one cluster's topology triggered by its nodes' samples
 * @param scheduled whether the topology is read every {@code refresh} on a schedule of its own, whether or not
 *     {@code memdoctor.sampling.enabled} is (with it off, nothing else would notice a failover or a new node)
 */
@ConfigurationProperties("memdoctor.clusters")
public record ClusterProperties(@DefaultValue("30s") Duration refresh, @DefaultValue("1s") Duration minGap,
        @DefaultValue("true") boolean scheduled) {

    public ClusterProperties {
        if (refresh.isNegative() || refresh.isZero() || minGap.isNegative()) {
            throw new IllegalArgumentException("memdoctor.clusters.refresh must be positive");
        }
    }
}
