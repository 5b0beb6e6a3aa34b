package io.memdoctor.rdb.format;

/**
 * Element counts of the compact encodings Redis writes as one blob (listpack, ziplist, intset, zipmap), read from
 * their headers; walked entry by entry only when the header does not know (65535 or more entries). A blob kept
 * partially (beyond the read cap) that needs walking answers -1: unknown.
 */
final class CompactEncodings {

    private static final int UNKNOWN_COUNT = 0xffff;

    private CompactEncodings() {
    }

    static long listpackCount(byte[] lp, long fullLength) {
        if (lp.length < 7) {
            return -1;
        }
        int n = u16(lp, 4);
        if (n != UNKNOWN_COUNT) {
            return n;
        }
        return lp.length == fullLength ? walkListpack(lp, 0, null) : -1;
    }

    /** Entries of a listpack of triples (field, value, TTL) whose TTL is not 0, or -1 when it cannot be walked. */
    static long listpackTriplesWithTtl(byte[] lp, long fullLength) {
        if (lp.length != fullLength || lp.length < 7) {
            return -1;
        }
        long[] withTtl = new long[1];
        walkListpack(lp, 0, (index, value) -> {
            if (index % 3 == 2 && value != 0) {
                withTtl[0]++;
            }
        });
        return withTtl[0];
    }

    interface IntEntry {
        /** @param value the entry's integer value, or Long.MIN_VALUE for a string entry */
        void entry(long index, long value);
    }

    private static long walkListpack(byte[] lp, int unused, IntEntry visitor) {
        int p = 6;
        long count = 0;
        while (p < lp.length) {
            int b = lp[p] & 0xff;
            if (b == 0xff) {
                return count;
            }
            int len;
            long value = Long.MIN_VALUE;
            if ((b & 0x80) == 0) {
                len = 1;
                value = b & 0x7f;
            }
            else if ((b & 0xc0) == 0x80) {
                len = 1 + (b & 0x3f);
            }
            else if ((b & 0xe0) == 0xc0) {
                len = 2;
                int v = ((b & 0x1f) << 8) | byteAt(lp, p + 1);
                value = v >= 1 << 12 ? v - (1 << 13) : v;
            }
            else if ((b & 0xf0) == 0xe0) {
                len = 2 + (((b & 0x0f) << 8) | byteAt(lp, p + 1));
            }
            else {
                switch (b) {
                    case 0xf0 -> len = 5 + (int) le(lp, p + 1, 4);
                    case 0xf1 -> {
                        len = 3;
                        value = (short) le(lp, p + 1, 2);
                    }
                    case 0xf2 -> {
                        len = 4;
                        value = (le(lp, p + 1, 3) << 40) >> 40;
                    }
                    case 0xf3 -> {
                        len = 5;
                        value = (int) le(lp, p + 1, 4);
                    }
                    case 0xf4 -> {
                        len = 9;
                        value = le(lp, p + 1, 8);
                    }
                    default -> {
                        return -1;
                    }
                }
            }
            if (len < 0) {
                return -1;
            }
            if (visitor != null) {
                visitor.entry(count, value);
            }
            p += len + backlenSize(len);
            count++;
        }
        return -1;
    }

    static int backlenSize(long len) {
        return len <= 127 ? 1 : len < 16383 ? 2 : len < 2097151 ? 3 : len < 268435455 ? 4 : 5;
    }

    static long ziplistCount(byte[] zl, long fullLength) {
        if (zl.length < 11) {
            return -1;
        }
        int n = u16(zl, 8);
        if (n != UNKNOWN_COUNT) {
            return n;
        }
        if (zl.length != fullLength) {
            return -1;
        }
        int p = 10;
        long count = 0;
        while (p < zl.length) {
            int b = zl[p] & 0xff;
            if (b == 0xff) {
                return count;
            }
            p += b < 254 ? 1 : 5;
            if (p >= zl.length) {
                return -1;
            }
            int e = zl[p] & 0xff;
            int kind = e >> 6;
            if (kind == 0) {
                p += 1 + (e & 0x3f);
            }
            else if (kind == 1) {
                p += 2 + (((e & 0x3f) << 8) | byteAt(zl, p + 1));
            }
            else if (kind == 2) {
                p += 5 + (int) ((byteAt(zl, p + 1) << 24) | (byteAt(zl, p + 2) << 16) | (byteAt(zl, p + 3) << 8)
                        | byteAt(zl, p + 4));
            }
            else {
                p += switch (e) {
                    case 0xc0 -> 3;
                    case 0xd0 -> 5;
                    case 0xe0 -> 9;
                    case 0xf0 -> 4;
                    case 0xfe -> 2;
                    default -> 1;
                };
            }
            count++;
        }
        return -1;
    }

    static long intsetCount(byte[] is) {
        return is.length < 8 ? -1 : le(is, 4, 4);
    }

    /** Pairs in a zipmap (Redis 2.x hashes). */
    static long zipmapCount(byte[] zm, long fullLength) {
        if (zm.length < 1) {
            return -1;
        }
        int n = zm[0] & 0xff;
        if (n < 254) {
            return n;
        }
        if (zm.length != fullLength) {
            return -1;
        }
        int p = 1;
        long strings = 0;
        while (p < zm.length && (zm[p] & 0xff) != 0xff) {
            int b = zm[p] & 0xff;
            long len = b < 254 ? b : le(zm, p + 1, 4);
            p += b < 254 ? 1 : 5;
            boolean value = strings % 2 == 1;
            if (value) {
                int free = byteAt(zm, p);
                p += 1 + free;
            }
            p += (int) len;
            strings++;
        }
        return strings / 2;
    }

    private static int byteAt(byte[] b, int i) {
        return i < b.length ? b[i] & 0xff : 0;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long le(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) byteAt(b, at + i) << (8 * i);
        }
        return v;
    }
}
