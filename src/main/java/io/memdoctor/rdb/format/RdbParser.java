package io.memdoctor.rdb.format;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.memdoctor.rdb.memory.MemoryModel;

/**
 * A streaming reader of RDB files, versions 1 to 12 (Redis 2.x to 8.0, Valkey 8), written from the format in
 * Redis's {@code rdb.h} and {@code rdb.c}. It walks the file once and reports each key with its element count and
 * estimated memory: values are skipped as they are read, so a collection of any size costs only the read buffer
 * (and the compact encodings' blobs, up to {@link #MAX_BLOB_BYTES}).
 *
 * <p>Anything it cannot read (a newer version, an unknown type, a truncated or corrupt file, a checksum that does
 * not match) stops it with an {@link RdbFormatException} saying where; the keys reported until then stand.
 */
public final class RdbParser {

    /** The newest format version read (Redis 7.4 and 8.0 write 12). */
    public static final int MAX_VERSION = 12;
    /** Key names longer than this are reported cut (and their full length still counted). */
    public static final int MAX_KEY_BYTES = 16 * 1024;
    /** Compact-encoding blobs are kept up to this size to count their entries; beyond, only their header. */
    static final int MAX_BLOB_BYTES = 4 * 1024 * 1024;
    private static final int MAX_AUX_BYTES = 1024;
    private static final String MODULE_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final RdbInput in;
    private final RdbStrings strings;
    private final RdbVisitor visitor;
    private final Map<String, String> aux = new LinkedHashMap<>();
    private MemoryModel model;
    private ValueReader values;
    private int version;
    private long keyIndex;
    private int db;

    private RdbParser(InputStream input, RdbVisitor visitor, BooleanSupplier cancelled) {
        this.in = new RdbInput(input, 256 * 1024, cancelled);
        this.strings = new RdbStrings(in);
        this.visitor = visitor;
    }

    /** A parser reading {@code input} once; {@code cancelled} is polled between buffer fills. */
    public static RdbParser of(InputStream input, RdbVisitor visitor, BooleanSupplier cancelled) {
        return new RdbParser(input, visitor, cancelled);
    }

    /**
     * Checks that a file starts like an RDB file this parser reads, without reading further.
     *
     * @return the format version
     * @throws RdbFormatException saying why not
     */
    public static int checkHeader(InputStream input) {
        RdbParser parser = new RdbParser(input, key -> { }, () -> false);
        parser.readHeader();
        return parser.version;
    }

    /** Bytes read so far; may be called from another thread. */
    public long bytesRead() {
        return in.progress();
    }

    /** Keys read so far. */
    public long keysRead() {
        return keyIndex;
    }

    /** The memory model in use (known once the first key was read, or at the end). */
    public MemoryModel model() {
        return model;
    }

    /**
     * Reads the whole file.
     *
     * @throws RdbFormatException when the file cannot be read to its end
     * @throws RdbCancelledException when {@code cancelled} said so
     */
    public void parse() {
        readHeader();
        long expireAt = -1;
        while (true) {
            long at = in.offset();
            int type = in.u8();
            switch (type) {
                case 0xff -> {
                    readChecksum();
                    ensureModel();
                    return;
                }
                case 0xfe -> db = (int) in.plainLength("SELECTDB");
                case 0xfd -> expireAt = in.littleEndian(4) * 1000;
                case 0xfc -> expireAt = in.littleEndian(8);
                case 0xfb -> visitor.databaseSize(db, in.plainLength("RESIZEDB"), in.plainLength("RESIZEDB"));
                case 0xfa -> {
                    String key = text(strings.read(MAX_AUX_BYTES));
                    String value = text(strings.read(MAX_AUX_BYTES));
                    aux.put(key, value);
                    visitor.aux(key, value);
                }
                case 0xf9 -> in.u8(); // FREQ: LFU counter
                case 0xf8 -> in.length(); // IDLE: LRU idle seconds
                case 0xf7 -> readModuleAux();
                case 0xf6 -> throw new RdbFormatException("function libraries in the pre-release 7.0 format (at byte "
                        + at + ") cannot be read; Redis itself refuses them", at);
                case 0xf5 -> {
                    byte[] code = strings.read(256);
                    visitor.function(libraryName(code), strings.lastLength());
                }
                case 0xf4 -> { // SLOT_INFO: slot, keys, expires
                    in.length();
                    in.length();
                    in.length();
                }
                default -> {
                    readKey(type, expireAt, at);
                    expireAt = -1;
                }
            }
        }
    }

    private void readHeader() {
        byte[] magic = new byte[9];
        for (int i = 0; i < 9; i++) {
            try {
                magic[i] = (byte) in.u8();
            }
            catch (RdbFormatException e) {
                String start = new String(magic, 0, i, StandardCharsets.ISO_8859_1);
                if (i == 0 || !("REDIS".startsWith(start) || start.startsWith("REDIS"))) {
                    throw new RdbFormatException("not an RDB file: it does not start with REDIS and a 4-digit"
                            + " version" + (i == 0 ? " (it is empty)" : ""), 0);
                }
                throw e;
            }
        }
        String head = new String(magic, StandardCharsets.ISO_8859_1);
        if (head.startsWith("VALKEY")) {
            throw new RdbFormatException("this file was written by Valkey 9 or later (signature " + printable(head)
                    + "); its format is newer than the RDB versions 1 to " + MAX_VERSION + " this reads", 0);
        }
        if (!head.startsWith("REDIS") || !head.substring(5).chars().allMatch(Character::isDigit)) {
            throw new RdbFormatException("not an RDB file: it does not start with REDIS and a 4-digit version", 0);
        }
        version = Integer.parseInt(head.substring(5));
        if (version < 1 || version > MAX_VERSION) {
            throw new RdbFormatException("RDB version " + version + " is not supported: this reads versions 1 to "
                    + MAX_VERSION + " (Redis 2.x to 8.0, Valkey 8)", 5);
        }
        visitor.version(version);
    }

    private void readChecksum() {
        if (version < 5) {
            return;
        }
        long computed = in.checksumSoFar();
        long at = in.offset();
        long stored = in.littleEndian(8);
        if (stored != 0 && stored != computed) {
            throw new RdbFormatException("checksum mismatch: the file is corrupt (the checksum at byte " + at
                    + " does not match its content); the " + keyIndex + " keys read are kept", at);
        }
    }

    private void ensureModel() {
        if (model == null) {
            model = MemoryModel.forFile(version, aux);
            values = new ValueReader(in, strings, model, version);
        }
    }

    private void readKey(int type, long expireAt, long at) {
        ensureModel();
        byte[] name;
        long keyLength;
        try {
            name = strings.read(MAX_KEY_BYTES);
            keyLength = strings.lastLength();
        }
        catch (RdbFormatException e) {
            throw where(e, at, null);
        }
        try {
            ValueReader.Value value = values.read(type, at);
            long bytes = model.key(keyLength) + value.bytes();
            visitor.key(new RdbKey(keyIndex, db, name, value.type(), value.encoding(), value.elements(), bytes,
                    expireAt, value.fieldsWithTtl(), in.offset() - at));
            keyIndex++;
        }
        catch (RdbFormatException e) {
            throw where(e, at, name);
        }
    }

    private RdbFormatException where(RdbFormatException e, long at, byte[] name) {
        String key = name == null ? "" : " \"" + io.memdoctor.scans.engine.KeyNames.escape(
                name.length > 200 ? java.util.Arrays.copyOf(name, 200) : name) + "\"";
        return new RdbFormatException(e.getMessage() + " (reading key #" + (keyIndex + 1) + key + " of db " + db
                + ", which starts at byte " + at + ")", e.offset());
    }

    private void readModuleAux() {
        long start = in.offset();
        long id = in.plainLength("module AUX");
        in.length(); // when_opcode
        in.length(); // when
        ValueReader.skipModuleValue(in, strings);
        visitor.moduleAux(moduleName(id), in.offset() - start);
    }

    static String moduleName(long id) {
        char[] name = new char[9];
        long v = id >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = MODULE_CHARSET.charAt((int) (v & 63));
            v >>>= 6;
        }
        return new String(name);
    }

    private static String libraryName(byte[] code) {
        String first = new String(code, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        int at = first.indexOf("name=");
        if (at < 0) {
            return "(unnamed)";
        }
        String rest = first.substring(at + 5).strip();
        int space = rest.indexOf(' ');
        String name = space < 0 ? rest : rest.substring(0, space);
        return text(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(byte[] bytes) {
        return io.memdoctor.scans.engine.KeyNames.escape(bytes);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The aux fields read so far. */
    public Map<String, String> aux() {
        return aux;
    }

    /** The file's version, once the header was read. */
    public int version() {
        return version;
    }
}
