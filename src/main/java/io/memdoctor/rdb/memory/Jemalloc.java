package io.memdoctor.rdb.memory;

/**
 * jemalloc 5's size classes (the allocator Redis ships with, on 64-bit Linux): 8, then multiples of 16 up to 128,
 * then four classes per doubling. What {@code zmalloc_size} answers for a request of {@code n} bytes.
 */
public final class Jemalloc {

    private Jemalloc() {
    }

    /** The usable size jemalloc gives for a request of {@code n} bytes. */
    public static long size(long n) {
        if (n <= 8) {
            return 8;
        }
        if (n <= 128) {
            return (n + 15) & ~15L;
        }
        int lg = 63 - Long.numberOfLeadingZeros(n - 1);
        long delta = 1L << (lg - 2);
        return (n + delta - 1) & ~(delta - 1);
    }
}
