package io.memdoctor.rdb.memory;

import java.util.Map;

/**
 * How much memory a key read from an RDB file takes in the server that wrote it, the way {@code MEMORY USAGE key
 * SAMPLES 0} counts it: the object header, the main dictionary's entry and the key's sds string, then per encoding
 * the listpack / intset blob, quicklist nodes, hash table entries and buckets, skiplist nodes, stream listpacks and
 * radix trees, each rounded up to jemalloc's size classes. Struct sizes are those of 64-bit builds; what differs
 * between server versions (which encodings exist, the size of a dict) follows the file's version and
 * {@code redis-ver} / {@code valkey-ver} fields.
 */
public final class MemoryModel {

    private static final long ROBJ = 16;
    private static final long DICT_ENTRY = 24;
    private static final long QUICKLIST = 40;
    private static final long QUICKLIST_NODE = 32;
    private static final long ZSET = 16;
    private static final long ZSKIPLIST = 32;
    /** A skiplist node's header plus one level, for 32 levels: the skiplist's header node. */
    private static final long ZSKIPLIST_HEADER = Jemalloc.size(32 + 32 * 16);
    private static final long STREAM = 80;
    private static final long STREAM_CG = 40;
    private static final long STREAM_NACK = 24;
    private static final long STREAM_LISTPACK_PREALLOC = 4096;
    private static final long EMBSTR_MAX = 44;

    private final int rdbVersion;
    private final boolean valkey;
    private final long keyEntry;
    private final long setEntry;
    private final long zsetMemberAdjust;
    private final long hashFieldAdjust;
    private final long dict;
    private final long consumer;
    /** Average jemalloc size of a skiplist node (levels drawn with p = 1/4), without its element. */
    private final double skiplistNode;
    private final long hashFieldTtlExtra;
    private final boolean listpackLists;

    private MemoryModel(int rdbVersion, boolean valkey, long dict, long consumer, double skiplistNode,
            long hashFieldTtlExtra) {
        this.rdbVersion = rdbVersion;
        this.valkey = valkey;
        // Valkey 8 keeps the main dictionary's and sets' entries without a value pointer (or none at all for sets)
        this.keyEntry = valkey ? DICT_ENTRY - 8 : DICT_ENTRY;
        this.setEntry = valkey ? 0 : DICT_ENTRY;
        // measured against MEMORY USAGE of 7.2, 7.4, 8.0 and Valkey 8 (docs/benchmarks/rdb.md): their skiplist
        // members come out 10 bytes smaller than 7.0's struct sizes give
        this.zsetMemberAdjust = rdbVersion >= 11 ? -10 : 0;
        this.hashFieldAdjust = 0;
        this.dict = dict;
        this.consumer = consumer;
        this.skiplistNode = skiplistNode;
        this.hashFieldTtlExtra = hashFieldTtlExtra;
        this.listpackLists = rdbVersion >= 11;
    }

    /** The model for a file of this version with these aux fields. */
    public static MemoryModel forFile(int rdbVersion, Map<String, String> aux) {
        boolean valkey = aux.containsKey("valkey-ver");
        return new MemoryModel(rdbVersion, valkey, 56, rdbVersion >= 11 ? 32 : 24, averageSkiplistNode(), 16);
    }

    /** Whether the file was written by Valkey. */
    public boolean valkey() {
        return valkey;
    }

    private static double averageSkiplistNode() {
        // level k has probability (3/4)(1/4)^(k-1); a node is 24 bytes plus 16 per level (ele, score, backward)
        double sum = 0;
        double p = 0.75;
        for (int level = 1; level <= 32; level++) {
            sum += p * Jemalloc.size(24 + 16L * level);
            p /= 4;
        }
        return sum;
    }

    /** The RDB version the model follows. */
    public int rdbVersion() {
        return rdbVersion;
    }

    /** The main dictionary's entry and the key's own sds string. */
    public long key(long keyLength) {
        return keyEntry + sds(keyLength);
    }

    /** An sds string of {@code len} bytes: header, bytes and terminator, in its size class. */
    public static long sds(long len) {
        int header = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < (1L << 32) ? 9 : 17;
        return Jemalloc.size(header + len + 1);
    }

    public long string(long len, boolean integer) {
        if (integer) {
            return ROBJ;
        }
        if (len <= EMBSTR_MAX) {
            return Jemalloc.size(ROBJ + 3 + len + 1);
        }
        int header = len < 256 ? 3 : len < 65536 ? 5 : len < (1L << 32) ? 9 : 17;
        return ROBJ + Jemalloc.size(header + len + 1);
    }

    /** A value kept as one blob (listpack, intset). */
    public long compact(long blobLength) {
        return ROBJ + Jemalloc.size(blobLength);
    }

    /** A hash whose fields have expiries, kept as a listpack: the blob plus its small descriptor. */
    public long hashListpackEx(long blobLength) {
        return ROBJ + Jemalloc.size(40) + Jemalloc.size(blobLength);
    }

    /**
     * Buckets of a dict filled one element at a time, as a live server fills it: the table doubles when full, and
     * the old table stays until incremental rehashing (one bucket per operation, {@code stepsPerAdd} operations per
     * element added) has moved its non-empty buckets, about 63 % of them.
     */
    static long buckets(long n, int stepsPerAdd) {
        if (n == 0) {
            return 0;
        }
        long size = 4;
        while (size < n) {
            size <<= 1;
        }
        if (size > 4) {
            long previous = size / 2;
            long steps = stepsPerAdd * (n - previous - 1);
            if (steps < 0.632 * previous) {
                return size + previous;
            }
        }
        return size;
    }

    private long table(long n, int stepsPerAdd) {
        return ROBJ + dict + 8 * buckets(n, stepsPerAdd);
    }

    public long setMember(long len) {
        return setEntry + sds(len);
    }

    public long set(long n, long members) {
        return table(n, 1) + members;
    }

    public long hashField(long field, long value, boolean ttl) {
        return DICT_ENTRY + sds(field) + sds(value) + hashFieldAdjust + (ttl ? hashFieldTtlExtra : 0);
    }

    public long hash(long n, long fields, boolean withTtls) {
        return table(n, 2) + fields + (withTtls ? 64 : 0);
    }

    public long zsetMember(long len) {
        return sds(len) + DICT_ENTRY + Math.round(skiplistNode) + zsetMemberAdjust;
    }

    public long zset(long n, long members) {
        return ROBJ + ZSET + ZSKIPLIST + dict + 8 * buckets(n, 2) + ZSKIPLIST_HEADER + members;
    }

    /** The bytes one element takes inside a listpack (for formats Redis converts to listpacks on load). */
    public long listpackEntry(long len, boolean integer) {
        long encoded;
        if (integer) {
            encoded = len <= 2 ? 1 : len <= 4 ? 2 : len <= 5 ? 3 : len <= 7 ? 4 : len <= 10 ? 5 : 9;
        }
        else {
            encoded = (len < 64 ? 1 : len < 4096 ? 2 : 5) + len;
        }
        return encoded + (encoded <= 127 ? 1 : encoded < 16383 ? 2 : 3);
    }

    /** A list from an older format, by the size its elements take in listpacks of 8 KiB. */
    public long listFromListpackBytes(long elements, long listpackBytes) {
        long total = listpackBytes + 7;
        if (listpackLists && total <= 8192) {
            return compact(total);
        }
        long nodes = Math.max(1, (total + 8191) / 8192);
        return ROBJ + QUICKLIST + nodes * QUICKLIST_NODE + Jemalloc.size(total / nodes) * nodes;
    }

    public long quicklistNode(long blobLength) {
        return QUICKLIST_NODE + Jemalloc.size(blobLength);
    }

    /**
     * A list of quicklist nodes.
     *
     * @param onlyPackedLength the blob's length when the list is one packed node (which servers writing RDB 11+
     *     keep as a plain listpack), else -1
     */
    public long quicklist(long nodes, long nodeBytes, long onlyPackedLength) {
        if (listpackLists && onlyPackedLength >= 0) {
            return compact(onlyPackedLength);
        }
        return ROBJ + QUICKLIST + nodeBytes;
    }

    /** One stream listpack; a live server allocates at least 4 KiB for each (RDB 10+). */
    public long streamListpack(long length) {
        long size = Jemalloc.size(length);
        return rdbVersion >= 10 ? Math.max(size, STREAM_LISTPACK_PREALLOC) : size;
    }

    /** Redis's streamRadixTreeMemoryUsage, with the node count a tree of that many IDs has. */
    private static long rax(long elements, long nodes) {
        return elements * 16 + nodes * (4 + 8 * 30);
    }

    private static long pelRax(long elements) {
        return rax(elements, elements == 0 ? 1 : elements + 2);
    }

    /** Consumer groups of one stream, added up while they are read. */
    public static final class StreamGroups {
        long groups;
        long pending;
        long consumers;
        long consumerNames;
        long consumerRax;
        long groupRax;

        public void group(long pel) {
            groups++;
            pending += pel;
            groupRax += pelRax(pel);
        }

        public void consumer(long nameLength, long owned) {
            consumers++;
            consumerNames += nameLength;
            consumerRax += pelRax(owned);
        }
    }

    public long stream(long listpacks, long listpackBytes, long lastLength, StreamGroups g) {
        return ROBJ + STREAM + rax(listpacks, listpacks == 0 ? 1 : 2 * listpacks) + listpackBytes + g.groups * STREAM_CG + g.groupRax
                + g.pending * STREAM_NACK + g.consumers * consumer + g.consumerNames + g.consumerRax;
    }

    /** A module value: its size in the file stands for its size in memory. */
    public long module(long storedBytes) {
        return ROBJ + storedBytes;
    }
}
