package io.memdoctor.rdb.format;

import io.memdoctor.rdb.memory.MemoryModel;

/**
 * Reads one value of each RDB type, skipping its elements as it goes and adding up what the memory model needs.
 * Type numbers are those of Redis's {@code rdb.h}.
 */
final class ValueReader {

    /**
     * What one value amounts to.
     *
     * @param type string, list, set, zset, hash, stream or the module's type name
     * @param encoding the file's encoding
     * @param elements element count, -1 when unknown
     * @param bytes estimated memory of the value (without the key's own)
     * @param fieldsWithTtl hash fields with an expiry
     */
    record Value(String type, String encoding, long elements, long bytes, long fieldsWithTtl) {
    }

    private final RdbInput in;
    private final RdbStrings strings;
    private final MemoryModel model;
    private final int version;

    ValueReader(RdbInput in, RdbStrings strings, MemoryModel model, int version) {
        this.in = in;
        this.strings = strings;
        this.model = model;
        this.version = version;
    }

    Value read(int type, long at) {
        return switch (type) {
            case 0 -> string();
            case 1 -> linkedList();
            case 2 -> hashtableSet();
            case 3, 5 -> skiplistZset(type == 5);
            case 4 -> hashtableHash(false, false);
            case 22, 24 -> hashtableHash(true, type == 24);
            case 6 -> throw new RdbFormatException("a module value in the pre-release 4.0 format (type 6) at byte "
                    + at + " cannot be skipped without the module", at);
            case 7 -> module();
            case 9 -> compact("hash", "zipmap", 9);
            case 10 -> compact("list", "ziplist", 10);
            case 11 -> compact("set", "intset", 11);
            case 12 -> compact("zset", "ziplist", 12);
            case 13 -> compact("hash", "ziplist", 13);
            case 16 -> compact("hash", "listpack", 16);
            case 17 -> compact("zset", "listpack", 17);
            case 20 -> compact("set", "listpack", 20);
            case 23, 25 -> {
                if (type == 25) {
                    in.skip(8); // the smallest field expiry, repeated inside
                }
                yield compact("hash", "listpackex", type);
            }
            case 14, 18 -> quicklist(type == 18);
            case 15, 19, 21 -> stream(type);
            default -> throw new RdbFormatException("unknown value type " + type + " at byte " + at
                    + ": the file is corrupt or from a newer server", at);
        };
    }

    private Value string() {
        long len = strings.skip();
        return new Value("string", strings.lastInteger() ? "int" : "string", len,
                model.string(len, strings.lastInteger()), 0);
    }

    private Value linkedList() {
        long n = in.plainLength("a list");
        long lpBytes = 0;
        for (long i = 0; i < n; i++) {
            long len = strings.skip();
            lpBytes += model.listpackEntry(len, strings.lastInteger());
        }
        return new Value("list", "linkedlist", n, model.listFromListpackBytes(n, lpBytes), 0);
    }

    private Value hashtableSet() {
        long n = in.plainLength("a set");
        long members = 0;
        for (long i = 0; i < n; i++) {
            members += model.setMember(strings.skip());
        }
        return new Value("set", "hashtable", n, model.set(n, members), 0);
    }

    private Value skiplistZset(boolean binaryScores) {
        long n = in.plainLength("a sorted set");
        long members = 0;
        for (long i = 0; i < n; i++) {
            members += model.zsetMember(strings.skip());
            if (binaryScores) {
                in.skip(8);
            }
            else {
                int len = in.u8();
                if (len < 253) {
                    in.skip(len);
                }
            }
        }
        return new Value("zset", "skiplist", n, model.zset(n, members), 0);
    }

    private Value hashtableHash(boolean withTtls, boolean relativeTtls) {
        if (relativeTtls) {
            in.skip(8); // the smallest field expiry; the fields' own are relative to it
        }
        long n = in.plainLength("a hash");
        long fields = 0;
        long withTtl = 0;
        for (long i = 0; i < n; i++) {
            boolean ttl = false;
            if (withTtls) {
                ttl = in.plainLength("a hash field's expiry") != 0;
                if (ttl) {
                    withTtl++;
                }
            }
            long field = strings.skip();
            long value = strings.skip();
            fields += model.hashField(field, value, ttl);
        }
        return new Value("hash", withTtls ? "hashtable+ttl" : "hashtable", n, model.hash(n, fields, withTtls), withTtl);
    }

    private Value compact(String type, String encoding, int rdbType) {
        byte[] blob = strings.read(RdbParser.MAX_BLOB_BYTES);
        long length = strings.lastLength();
        long elements;
        long withTtl = 0;
        switch (rdbType) {
            case 9 -> elements = CompactEncodings.zipmapCount(blob, length);
            case 10 -> elements = CompactEncodings.ziplistCount(blob, length);
            case 11 -> elements = CompactEncodings.intsetCount(blob);
            case 12, 13 -> elements = half(CompactEncodings.ziplistCount(blob, length));
            case 16, 17 -> elements = half(CompactEncodings.listpackCount(blob, length));
            case 23, 25 -> {
                long entries = CompactEncodings.listpackCount(blob, length);
                elements = entries < 0 ? -1 : entries / 3;
                withTtl = Math.max(CompactEncodings.listpackTriplesWithTtl(blob, length), 0);
            }
            default -> elements = CompactEncodings.listpackCount(blob, length);
        }
        if (elements < 0) {
            throw new RdbFormatException("a " + encoding + " of " + length + " bytes has a corrupt header", in.offset());
        }
        long bytes = rdbType == 23 || rdbType == 25 ? model.hashListpackEx(length)
                : rdbType == 10 ? model.listFromListpackBytes(elements, length) : model.compact(length);
        return new Value(type, encoding, elements, bytes, withTtl);
    }

    private static long half(long n) {
        return n < 0 ? -1 : n / 2;
    }

    private Value quicklist(boolean v2) {
        long nodes = in.plainLength("a quicklist");
        long elements = 0;
        long nodeBytes = 0;
        long onlyPackedLength = -1;
        for (long i = 0; i < nodes; i++) {
            long container = v2 ? in.plainLength("a quicklist node") : 2;
            if (container == 1) { // PLAIN: one big element as it is
                long len = strings.skip();
                elements++;
                nodeBytes += model.quicklistNode(len);
                continue;
            }
            if (container != 2) {
                throw new RdbFormatException("a quicklist node has an unknown container " + container, in.offset());
            }
            byte[] blob = strings.read(64);
            long length = strings.lastLength();
            long count = v2 ? CompactEncodings.listpackCount(blob, length) : CompactEncodings.ziplistCount(blob, length);
            if (count < 0) {
                throw new RdbFormatException("a quicklist node of " + length + " bytes has a corrupt header",
                        in.offset());
            }
            elements += count;
            nodeBytes += model.quicklistNode(length);
            onlyPackedLength = nodes == 1 ? length : -1;
        }
        return new Value("list", v2 ? "quicklist" : "quicklist-ziplist", elements,
                model.quicklist(nodes, nodeBytes, onlyPackedLength), 0);
    }

    private Value stream(int type) {
        long listpacks = in.plainLength("a stream");
        long lpBytes = 0;
        long lastLength = 0;
        for (long i = 0; i < listpacks; i++) {
            long idLength = strings.skip();
            if (idLength != 16) {
                throw new RdbFormatException("a stream node key is not a 16-byte ID", in.offset());
            }
            long length = strings.skip();
            lpBytes += model.streamListpack(length);
            lastLength = length;
        }
        long length = in.plainLength("a stream's length");
        in.length(); // last id
        in.length();
        if (type >= 19) {
            for (int i = 0; i < 5; i++) {
                in.length(); // first id, max deleted id, entries added
            }
        }
        long groups = in.plainLength("a stream's groups");
        MemoryModel.StreamGroups g = new MemoryModel.StreamGroups();
        for (long i = 0; i < groups; i++) {
            strings.skip();
            in.length();
            in.length();
            if (type >= 19) {
                in.length(); // entries read
            }
            long pel = in.plainLength("a consumer group's pending list");
            for (long j = 0; j < pel; j++) {
                in.skip(16 + 8);
                in.length();
            }
            long consumers = in.plainLength("a consumer group's consumers");
            g.group(pel);
            for (long c = 0; c < consumers; c++) {
                long nameLength = strings.skip();
                in.skip(type >= 21 ? 16 : 8);
                long owned = in.plainLength("a consumer's pending list");
                in.skip(16 * owned);
                g.consumer(nameLength, owned);
            }
        }
        return new Value("stream", "stream", length, model.stream(listpacks, lpBytes, lastLength, g), 0);
    }

    private Value module() {
        long start = in.offset();
        long id = in.plainLength("a module value");
        skipModuleValue(in, strings);
        long stored = in.offset() - start;
        return new Value(RdbParser.moduleName(id), "module", -1, model.module(stored), 0);
    }

    static void skipModuleValue(RdbInput in, RdbStrings strings) {
        while (true) {
            long opcode = in.plainLength("a module value");
            switch ((int) opcode) {
                case 0 -> {
                    return;
                }
                case 1, 2 -> in.length();
                case 3 -> in.skip(4);
                case 4 -> in.skip(8);
                case 5 -> strings.skip();
                default -> throw new RdbFormatException("a module value has an unknown opcode " + opcode,
                        in.offset());
            }
        }
    }
}
