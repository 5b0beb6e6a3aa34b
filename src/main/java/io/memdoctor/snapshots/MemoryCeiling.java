package io.memdoctor.snapshots;

import io.memdoctor.format.Units;

/**
 * What an instance's memory is measured against, and which figure that is. Redis cannot see a container's memory
 * limit (INFO's {@code total_system_memory} is the host's), so the limit a user declares for the instance
 * ({@code instances.MemoryLimit}) takes part:
 * <ul>
 * <li>{@link #of}: the ceiling of used_memory, the smaller of maxmemory (when set) and the declared limit; without
 * either, the host's memory. The overview's bar and "near full", the forecast's "full in", the diagnosis' headroom
 * and the checks read it.</li>
 * <li>{@link #ofProcess}: what the process' RSS (and a fork's copy-on-write) must fit in before the OOM killer comes:
 * the declared limit, since a cgroup counts RSS, else the host's memory. maxmemory does not bound RSS.</li>
 * </ul>
 *
 * @param bytes the ceiling, 0 when nothing is known
 * @param kind which figure it is
 */
public record MemoryCeiling(long bytes, Kind kind) {

    /** Nothing known: no maxmemory, no declared limit, no total_system_memory. */
    public static final MemoryCeiling NONE = new MemoryCeiling(0, Kind.NONE);

    /** Which figure a ceiling is. */
    public enum Kind {
        MAXMEMORY("maxmemory", "maxmemory", "maxmemory"),
        MEMORY_LIMIT("memory-limit", "memory limit (declared)", "memory limit"),
        HOST("system", "host memory (total_system_memory)", "host memory"),
        NONE("none", "no known limit", "no known limit");

        private final String code;
        private final String label;
        private final String shortLabel;

        Kind(String code, String label, String shortLabel) {
            this.code = code;
            this.label = label;
            this.shortLabel = shortLabel;
        }

        /** As the JSON says it: {@code maxmemory}, {@code memory-limit}, {@code system} or {@code none}. */
        public String code() {
            return code;
        }

        /** As texts name it: "maxmemory", "memory limit (declared)", "host memory (total_system_memory)". */
        public String label() {
            return label;
        }

        /** Where space is short: "maxmemory", "memory limit", "host memory". */
        public String shortLabel() {
            return shortLabel;
        }

        /** The kind of a {@link #code()}; {@link #NONE} for one not known. */
        public static Kind ofCode(String code) {
            for (Kind kind : values()) {
                if (kind.code.equals(code)) {
                    return kind;
                }
            }
            return NONE;
        }
    }

    public MemoryCeiling {
        if (bytes < 0 || kind == null || (kind == Kind.NONE) != (bytes == 0)) {
            throw new IllegalArgumentException("a ceiling of " + bytes + " bytes cannot be " + kind);
        }
    }

    /**
     * The ceiling of used_memory: the smaller of maxmemory (when above 0) and the declared limit; without either, the
     * host's memory; {@link #NONE} without any.
     */
    public static MemoryCeiling of(Long maxmemory, Long declared, Long host) {
        boolean max = maxmemory != null && maxmemory > 0;
        boolean limit = declared != null && declared > 0;
        if (max && (!limit || maxmemory <= declared)) {
            return new MemoryCeiling(maxmemory, Kind.MAXMEMORY);
        }
        if (limit) {
            return new MemoryCeiling(declared, Kind.MEMORY_LIMIT);
        }
        return host != null && host > 0 ? new MemoryCeiling(host, Kind.HOST) : NONE;
    }

    /** {@link #of(Long, Long, Long)} from a sample ({@code null}: none) and the declared limit. */
    public static MemoryCeiling of(Snapshot sample, Long declared) {
        return sample == null ? of(null, declared, null)
                : of(sample.getLong(Metric.MAXMEMORY), declared, sample.getLong(Metric.TOTAL_SYSTEM_MEMORY));
    }

    /** What RSS must fit in: the declared limit (the cgroup counts RSS), else the host's memory. */
    public static MemoryCeiling ofProcess(Long declared, Long host) {
        return of(null, declared, host);
    }

    /** {@link #ofProcess(Long, Long)} from a sample ({@code null}: none) and the declared limit. */
    public static MemoryCeiling ofProcess(Snapshot sample, Long declared) {
        return ofProcess(declared, sample == null ? null : sample.getLong(Metric.TOTAL_SYSTEM_MEMORY));
    }

    public boolean known() {
        return bytes > 0;
    }

    /** Whether it is maxmemory: reaching it evicts or refuses writes, not the OOM killer. */
    public boolean maxmemory() {
        return kind == Kind.MAXMEMORY;
    }

    /** Whether it is the limit the user declared (a container's). */
    public boolean declared() {
        return kind == Kind.MEMORY_LIMIT;
    }

    public String label() {
        return kind.label();
    }

    public String shortLabel() {
        return kind.shortLabel();
    }

    public String code() {
        return kind.code();
    }

    /** "1.0 GB memory limit (declared)", "4.0 GB maxmemory"; "no known limit". */
    public String describe() {
        return known() ? Units.bytes(bytes) + " " + label() : label();
    }

    /** {@code used} over the ceiling, {@code null} when either is unknown. */
    public Double fraction(Long used) {
        return used == null || !known() ? null : (double) used / bytes;
    }
}
