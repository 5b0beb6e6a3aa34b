package io.memdoctor.cluster;

import java.time.Instant;
import java.util.List;

/**
 * Each shard's memory over a time range, for the cluster page's chart ({@code GET /api/clusters/{id}/history}).
 *
 * @param from start of the range
 * @param to end of the range
 * @param shards one series per primary
 * @param events topology changes in the range (FAILOVER ones are marked on the chart), newest first
 */
public record ShardHistory(Instant from, Instant to, List<Series> shards, List<ClusterEvent> events) {

    /**
     * @param address the primary's {@code host:port}
     * @param instanceId the instance it is sampled as
     * @param slots its slot ranges
     * @param points its samples in time order (a failed sample has no values)
     */
    public record Series(String address, String instanceId, String slots, List<Point> points) {
    }

    /**
     * @param at sample time
     * @param usedMemory used_memory, {@code null} for a failed sample
     * @param usedMemoryRss used_memory_rss
     */
    public record Point(Instant at, Long usedMemory, Long usedMemoryRss) {
    }
}
