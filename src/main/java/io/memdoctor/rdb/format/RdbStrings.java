package io.memdoctor.rdb.format;

/**
 * Reads RDB strings: plain, integer-encoded (8, 16 or 32 bits) or LZF-compressed. Values are normally skipped,
 * keeping only their length, so a huge value costs no memory; when bytes are wanted (key names, compact
 * encodings' headers), at most a given number of them are kept. LZF is decoded as a stream with an 8 KiB window
 * (LZF never refers further back), so a compressed value is never held whole either; past the bytes kept (from the
 * start when skipping) its runs and back-references are only counted, checked as strictly as when decoded.
 */
final class RdbStrings {

    private static final int WINDOW = 8192;
    private static final int SHORT = 20;

    private final RdbInput in;
    private final byte[] small = new byte[SHORT];
    private final byte[] window = new byte[WINDOW];
    private long lastLength;
    private long lastStoredLength;
    private boolean lastInteger;

    RdbStrings(RdbInput in) {
        this.in = in;
    }

    /** Decoded length of the last string read. */
    long lastLength() {
        return lastLength;
    }

    /** Bytes the last string took in the file. */
    long lastStoredLength() {
        return lastStoredLength;
    }

    /** Whether the last string is an integer Redis keeps as a number (int-encoded in the file or a short decimal). */
    boolean lastInteger() {
        return lastInteger;
    }

    /** Skips a string; returns its decoded length. */
    long skip() {
        long start = in.offset();
        long len = in.length();
        lastInteger = false;
        switch (in.encoding()) {
            case RdbInput.NOT_ENCODED -> {
                if (len <= SHORT) {
                    in.readFully(small, 0, (int) len);
                    lastInteger = isInteger(small, (int) len);
                }
                else {
                    in.skip(len);
                }
            }
            case 0, 1, 2 -> {
                len = digits(readInt(in.encoding()));
                lastInteger = true;
            }
            case 3 -> {
                long compressed = in.plainLength("a compressed string");
                len = in.plainLength("a compressed string");
                decompress(compressed, len, null, 0);
            }
            default -> throw unknownEncoding(start);
        }
        lastLength = len;
        lastStoredLength = in.offset() - start;
        return len;
    }

    /** Reads a string, keeping its first {@code cap} bytes (all when shorter); the full length is {@link #lastLength()}. */
    byte[] read(int cap) {
        long start = in.offset();
        long len = in.length();
        byte[] out;
        lastInteger = false;
        switch (in.encoding()) {
            case RdbInput.NOT_ENCODED -> {
                int keep = (int) Math.min(len, cap);
                out = new byte[keep];
                in.readFully(out, 0, keep);
                in.skip(len - keep);
                lastInteger = len <= SHORT && isInteger(out, keep);
            }
            case 0, 1, 2 -> {
                String digits = Long.toString(readInt(in.encoding()));
                out = digits.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                len = out.length;
                lastInteger = true;
            }
            case 3 -> {
                long compressed = in.plainLength("a compressed string");
                len = in.plainLength("a compressed string");
                int keep = (int) Math.min(len, cap);
                out = new byte[keep];
                decompress(compressed, len, out, keep);
            }
            default -> throw unknownEncoding(start);
        }
        lastLength = len;
        lastStoredLength = in.offset() - start;
        return out;
    }

    private RdbFormatException unknownEncoding(long at) {
        return new RdbFormatException("unknown string encoding " + in.encoding() + " at byte " + at, at);
    }

    private long readInt(int encoding) {
        return switch (encoding) {
            case 0 -> (byte) in.u8();
            case 1 -> (short) in.littleEndian(2);
            default -> (int) in.littleEndian(4);
        };
    }

    private void decompress(long compressed, long expected, byte[] out, int keep) {
        long start = in.offset();
        long end = start + compressed;
        long produced = 0;
        while (in.offset() < end) {
            int ctrl = in.u8();
            // once the bytes wanted are out (none when skipping), only the lengths matter: literal runs are
            // skipped and back-references counted, with the same checks, and nothing is copied
            boolean counting = produced >= keep;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (counting) {
                    in.skip(run);
                    produced += run;
                }
                else {
                    for (int i = 0; i < run; i++) {
                        byte b = (byte) in.u8();
                        produced = put(b, produced, out, keep);
                    }
                }
            }
            else {
                int len = ctrl >> 5;
                if (len == 7) {
                    len += in.u8();
                }
                int back = ((ctrl & 0x1f) << 8) + in.u8() + 1;
                if (back > produced) {
                    throw corrupt(start);
                }
                if (counting) {
                    produced += len + 2;
                }
                else {
                    for (int i = 0; i < len + 2; i++) {
                        produced = put(window[(int) ((produced - back) & (WINDOW - 1))], produced, out, keep);
                    }
                }
            }
            if (produced > expected) {
                throw corrupt(start);
            }
        }
        if (in.offset() != end || produced != expected) {
            throw corrupt(start);
        }
    }

    private long put(byte b, long produced, byte[] out, int keep) {
        window[(int) (produced & (WINDOW - 1))] = b;
        if (produced < keep) {
            out[(int) produced] = b;
        }
        return produced + 1;
    }

    private static RdbFormatException corrupt(long at) {
        return new RdbFormatException("a compressed (LZF) string starting at byte " + at + " is corrupt", at);
    }

    static int digits(long v) {
        return Long.toString(v).length();
    }

    /** Redis's string2ll: an optional minus, no leading zeros, no plus, fits in a long. */
    static boolean isInteger(byte[] s, int len) {
        if (len == 0 || len > SHORT) {
            return false;
        }
        int i = 0;
        if (s[0] == '-') {
            if (len == 1) {
                return false;
            }
            i = 1;
        }
        if (s[i] == '0') {
            return len == 1;
        }
        for (int j = i; j < len; j++) {
            if (s[j] < '0' || s[j] > '9') {
                return false;
            }
        }
        try {
            Long.parseLong(new String(s, 0, len, java.nio.charset.StandardCharsets.US_ASCII));
            return true;
        }
        catch (NumberFormatException e) {
            return false;
        }
    }
}
