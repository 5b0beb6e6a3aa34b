package io.memdoctor.cluster;

import java.util.Comparator;
import java.util.List;

/**
 * How unevenly the primaries of a cluster are loaded.
 *
 * @param largest the primary with the most used memory, {@code null} without samples
 * @param meanUsed mean used_memory of the primaries with a sample
 * @param usedRatio largest used_memory / mean (1.0 for an even cluster), {@code null} without samples
 * @param keysRatio largest key count / mean, {@code null} when no primary has keys
 * @param minSlots fewest slots a primary with slots serves
 * @param maxSlots most slots a primary serves
 * @param fullest the primary nearest its ceiling (maxmemory or declared memory limit, see {@link NodeState#fill()}),
 *     else the largest
 */
public record Imbalance(NodeState largest, Double meanUsed, Double usedRatio, Double keysRatio, int minSlots,
        int maxSlots, NodeState fullest) {

    static Imbalance of(List<NodeState> primaries) {
        List<NodeState> sampled = primaries.stream().filter(n -> n.usedMemory() != null).toList();
        NodeState largest = sampled.stream().max(Comparator.comparingLong(NodeState::usedMemory)).orElse(null);
        Double mean = sampled.isEmpty() ? null
                : sampled.stream().mapToLong(NodeState::usedMemory).average().orElse(0);
        Double usedRatio = largest == null || mean == null || mean <= 0 ? null : largest.usedMemory() / mean;
        List<Long> keys = primaries.stream().map(NodeState::keys).filter(k -> k != null).toList();
        double meanKeys = keys.stream().mapToLong(Long::longValue).average().orElse(0);
        Double keysRatio = meanKeys <= 0 ? null : keys.stream().mapToLong(Long::longValue).max().orElse(0) / meanKeys;
        List<Integer> slots = primaries.stream().map(n -> n.node().slotCount()).filter(s -> s > 0).toList();
        NodeState fullest = sampled.stream().filter(n -> n.fill() != null).max(Comparator.comparingDouble(NodeState::fill))
                .orElse(largest);
        return new Imbalance(largest, mean, usedRatio, keysRatio, slots.stream().mapToInt(i -> i).min().orElse(0),
                slots.stream().mapToInt(i -> i).max().orElse(0), fullest);
    }
}
