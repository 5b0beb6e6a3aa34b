package io.memdoctor.cluster;

import java.util.List;

import io.memdoctor.format.Units;
import io.memdoctor.snapshots.MemoryCeiling;

/**
 * What the primaries of a cluster can hold together: each primary's ceiling, the smaller of its maxmemory and the
 * memory limit declared for it (its container's), summed. In Kubernetes a cluster's pods often run with maxmemory 0
 * under a memory limit: their capacity is the limits'.
 *
 * @param bytes the sum
 * @param kind which figures were summed
 */
public record Capacity(long bytes, Kind kind) {

    /** Which figures a capacity sums. */
    public enum Kind {
        MAXMEMORY("maxmemory", "maxmemory"),
        MEMORY_LIMIT("memory-limit", "memory limit, declared"),
        MIXED("mixed", "maxmemory or memory limit, declared");

        private final String code;
        private final String label;

        Kind(String code, String label) {
            this.code = code;
            this.label = label;
        }

        /** As the JSON says it: {@code maxmemory}, {@code memory-limit} or {@code mixed}. */
        public String code() {
            return code;
        }

        /** As the page says it, in brackets after the figure: "maxmemory", "memory limit, declared". */
        public String label() {
            return label;
        }
    }

    /**
     * The capacity of these primaries; {@code null} when there are none, or one has no sample yet or neither
     * maxmemory nor a declared limit (the host's memory is no limit of a shard).
     */
    static Capacity of(List<NodeState> primaries) {
        if (primaries.isEmpty() || primaries.stream().anyMatch(p -> p.latest() == null || !p.limited())) {
            return null;
        }
        List<MemoryCeiling> ceilings = primaries.stream().map(NodeState::ceiling).toList();
        boolean allMaxmemory = ceilings.stream().allMatch(MemoryCeiling::maxmemory);
        boolean allDeclared = ceilings.stream().allMatch(MemoryCeiling::declared);
        return new Capacity(ceilings.stream().mapToLong(MemoryCeiling::bytes).sum(),
                allMaxmemory ? Kind.MAXMEMORY : allDeclared ? Kind.MEMORY_LIMIT : Kind.MIXED);
    }

    public String code() {
        return kind.code();
    }

    public String label() {
        return kind.label();
    }

    /** "3.0 GB (memory limit, declared)". */
    public String describe() {
        return Units.bytes(bytes) + " (" + label() + ")";
    }
}
