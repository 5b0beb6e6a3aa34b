package io.memdoctor.snapshots;

/**
 * How alarming a {@code mem_fragmentation_ratio} is, the way MEMORY DOCTOR judges it: a ratio above 1.5 matters
 * only when RSS exceeds used memory by at least 10 MB, and on an almost empty instance (under 5 MB used) the ratio
 * says nothing, since the allocator's fixed overhead dominates it.
 */
public enum FragmentationLevel {
    /** Above 1.5 with at least 10 MB of difference: worth investigating. */
    HIGH,
    /**
     * Above 1.5 with at least 10 MB of difference, but under 10 MB of it inside the allocator: process overhead
     * (code, buffers, a small dataset's fixed costs), not fragmentation that defrag could act on. Only for display:
     * the checks and the diagnosis read {@link #HIGH} and weigh the allocator themselves.
     */
    OVERHEAD,
    /** Below 1.0: advisory, check swap on the host. */
    LOW,
    NORMAL,
    /** Under 5 MB used: the ratio is not meaningful. */
    SMALL,
    UNKNOWN;

    static final long SMALL_INSTANCE_BYTES = 5L * 1024 * 1024;
    static final long SIGNIFICANT_WASTE_BYTES = 10L * 1024 * 1024;

    public static FragmentationLevel of(Double ratio, Long usedMemory, Long rss) {
        if (ratio == null) {
            return UNKNOWN;
        }
        if (usedMemory != null && usedMemory < SMALL_INSTANCE_BYTES) {
            return SMALL;
        }
        if (ratio > 1.5) {
            boolean significant = usedMemory == null || rss == null || rss - usedMemory >= SIGNIFICANT_WASTE_BYTES;
            return significant ? HIGH : NORMAL;
        }
        return ratio < 1.0 ? LOW : NORMAL;
    }

    public static FragmentationLevel of(Snapshot snapshot) {
        return of(snapshot.getDouble(Metric.MEM_FRAGMENTATION_RATIO), snapshot.getLong(Metric.USED_MEMORY),
                snapshot.getLong(Metric.USED_MEMORY_RSS));
    }

    /**
     * The level to colour a figure by: {@link #OVERHEAD} instead of {@link #HIGH} when INFO shows that under 10 MB
     * of the extra RSS is inside the allocator ({@code allocator_frag_bytes + allocator_rss_bytes}), so the page does
     * not show a red ratio that the fragmentation-high check calls harmless.
     */
    public static FragmentationLevel shown(Double ratio, Long usedMemory, Long rss, Long allocatorWasteBytes) {
        FragmentationLevel level = of(ratio, usedMemory, rss);
        boolean outsideAllocator = allocatorWasteBytes != null && allocatorWasteBytes < SIGNIFICANT_WASTE_BYTES;
        return level == HIGH && outsideAllocator ? OVERHEAD : level;
    }

    /** {@link #shown(Double, Long, Long, Long)} for a sample. */
    public static FragmentationLevel shown(Snapshot snapshot) {
        return shown(snapshot.getDouble(Metric.MEM_FRAGMENTATION_RATIO), snapshot.getLong(Metric.USED_MEMORY),
                snapshot.getLong(Metric.USED_MEMORY_RSS), allocatorWaste(snapshot));
    }

    /** {@code allocator_frag_bytes + allocator_rss_bytes}, {@code null} when INFO reports neither. */
    public static Long allocatorWaste(Snapshot snapshot) {
        Long frag = snapshot.getLong(Metric.ALLOCATOR_FRAG_BYTES);
        Long rss = snapshot.getLong(Metric.ALLOCATOR_RSS_BYTES);
        if (frag == null && rss == null) {
            return null;
        }
        return Math.max(0, frag == null ? 0 : frag) + Math.max(0, rss == null ? 0 : rss);
    }

    /** CSS modifier: {@code frag-high}, {@code frag-low}, ... */
    public String css() {
        return "frag-" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** What the colour means, for a tooltip. */
    public String explanation() {
        return switch (this) {
            case HIGH -> "above 1.5 with at least 10 MB of RSS over used memory: worth investigating";
            case OVERHEAD -> "above 1.5, but under 10 MB of the extra RSS is inside the allocator: process overhead,"
                    + " not fragmentation (see the fragmentation-high check)";
            case LOW -> "below 1.0: RSS under used memory; check swap on the host";
            case SMALL -> "instance under 5 MB: the ratio is dominated by fixed overhead and means little";
            case NORMAL -> "mem_fragmentation_ratio = RSS / used_memory";
            case UNKNOWN -> "not reported";
        };
    }
}
