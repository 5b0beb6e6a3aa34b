package io.memdoctor.diagnosis;

/** What a memory history says happened, in the field guide's terms. */
public enum Verdict {
    /** used_memory climbed: the application stores more (keys without TTL, unbounded structures). */
    DATA_GROWTH,
    /** used_memory flat or falling while RSS rose or stayed far above it: allocator overhead. */
    FRAGMENTATION,
    /** A BGSAVE or AOF rewrite copied pages while writes went on: temporary, host-level memory. */
    COPY_ON_WRITE,
    /** At maxmemory: keys evicted or writes refused with OOM. */
    MEMORY_PRESSURE,
    /** Nothing of the above in the range. */
    STABLE,
    /** Too few samples in the range to tell. */
    INSUFFICIENT_DATA
}
