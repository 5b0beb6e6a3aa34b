package io.memdoctor.snapshots;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which figure memory is measured against, and what RSS must fit in, for each mix of maxmemory, limit and host. */
class MemoryCeilingTests {

    static final long MB = 1024L * 1024;
    static final long GB = 1024 * MB;

    @Test
    void theSmallerOfMaxmemoryAndTheDeclaredLimitElseTheHost() {
        assertThat(MemoryCeiling.of(0L, null, 64 * GB)).isEqualTo(new MemoryCeiling(64 * GB, MemoryCeiling.Kind.HOST));
        assertThat(MemoryCeiling.of(0L, 1 * GB, 64 * GB))
                .isEqualTo(new MemoryCeiling(1 * GB, MemoryCeiling.Kind.MEMORY_LIMIT));
        assertThat(MemoryCeiling.of(768 * MB, 1 * GB, 64 * GB))
                .isEqualTo(new MemoryCeiling(768 * MB, MemoryCeiling.Kind.MAXMEMORY));
        // maxmemory 2gb in a 1 GiB pod: the pod's limit comes first
        assertThat(MemoryCeiling.of(2 * GB, 1 * GB, 64 * GB))
                .isEqualTo(new MemoryCeiling(1 * GB, MemoryCeiling.Kind.MEMORY_LIMIT));
        assertThat(MemoryCeiling.of(1 * GB, 1 * GB, 64 * GB).kind()).isEqualTo(MemoryCeiling.Kind.MAXMEMORY);
        assertThat(MemoryCeiling.of(4 * GB, null, 64 * GB).kind()).isEqualTo(MemoryCeiling.Kind.MAXMEMORY);
        assertThat(MemoryCeiling.of(null, null, null)).isEqualTo(MemoryCeiling.NONE);
        assertThat(MemoryCeiling.NONE.fraction(5L)).isNull();
        assertThat(MemoryCeiling.of(0L, 2 * GB, 64 * GB).fraction(1 * GB)).isEqualTo(0.5);
    }

    @Test
    void rssIsJudgedAgainstTheDeclaredLimitElseTheHostNeverMaxmemory() {
        assertThat(MemoryCeiling.ofProcess(1 * GB, 64 * GB))
                .isEqualTo(new MemoryCeiling(1 * GB, MemoryCeiling.Kind.MEMORY_LIMIT));
        assertThat(MemoryCeiling.ofProcess((Long) null, 64 * GB)).isEqualTo(new MemoryCeiling(64 * GB, MemoryCeiling.Kind.HOST));
        assertThat(MemoryCeiling.ofProcess((Long) null, null)).isEqualTo(MemoryCeiling.NONE);
    }

    @Test
    void itSaysWhatItIs() {
        assertThat(MemoryCeiling.of(0L, 1 * GB, 64 * GB).describe()).isEqualTo("1.0 GB memory limit (declared)");
        assertThat(MemoryCeiling.of(4 * GB, null, 64 * GB).describe()).isEqualTo("4.0 GB maxmemory");
        assertThat(MemoryCeiling.of(0L, null, 64 * GB).describe())
                .isEqualTo("64.0 GB host memory (total_system_memory)");
        assertThat(MemoryCeiling.NONE.describe()).isEqualTo("no known limit");
        for (MemoryCeiling.Kind kind : MemoryCeiling.Kind.values()) {
            assertThat(MemoryCeiling.Kind.ofCode(kind.code())).isEqualTo(kind);
        }
        assertThat(MemoryCeiling.Kind.ofCode("system").shortLabel()).isEqualTo("host memory");
    }
}
