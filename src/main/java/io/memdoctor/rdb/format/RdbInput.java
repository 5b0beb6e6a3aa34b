package io.memdoctor.rdb.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * The bytes of an RDB file, read through one fixed buffer: the offset is known at every point (for messages and
 * progress), the checksum is computed on the way, and a running read can be cancelled between buffer fills.
 * Every read that runs past the end of the file is a {@link RdbFormatException} saying "truncated".
 */
final class RdbInput {

    /** Marks {@link #length()} results that are special encodings rather than lengths. */
    static final int NOT_ENCODED = -1;

    private final InputStream in;
    private final byte[] buf;
    private final BooleanSupplier cancelled;
    private final Crc64 crc = new Crc64();
    private int pos;
    private int limit;
    private int crcFrom;
    private long consumedBefore;
    private volatile long offsetForProgress;
    private int encoding = NOT_ENCODED;

    RdbInput(InputStream in, int bufferSize, BooleanSupplier cancelled) {
        this.in = in;
        this.buf = new byte[bufferSize];
        this.cancelled = cancelled;
    }

    /** Offset of the next byte to read. */
    long offset() {
        return consumedBefore + pos;
    }

    /** Offset as of the last buffer fill; safe to read from another thread. */
    long progress() {
        return offsetForProgress;
    }

    private void fill() {
        if (cancelled.getAsBoolean()) {
            throw new RdbCancelledException();
        }
        crc.update(buf, crcFrom, pos - crcFrom);
        consumedBefore += pos;
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pos = 0;
        crcFrom = 0;
        limit = Math.max(n, 0);
        offsetForProgress = consumedBefore;
        if (n <= 0) {
            throw new RdbFormatException("the file is truncated: it ends at byte " + consumedBefore
                    + " in the middle of a record", consumedBefore);
        }
    }

    int u8() {
        if (pos == limit) {
            fill();
        }
        return buf[pos++] & 0xff;
    }

    /** Whether the file has no more bytes (used after the EOF marker of files without a checksum). */
    boolean atEnd() {
        if (pos < limit) {
            return false;
        }
        try {
            fill();
            return false;
        }
        catch (RdbFormatException e) {
            return true;
        }
    }

    void readFully(byte[] dst, int off, int len) {
        while (len > 0) {
            if (pos == limit) {
                fill();
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    void skip(long len) {
        while (len > 0) {
            if (pos == limit) {
                fill();
            }
            int n = (int) Math.min(len, limit - pos);
            pos += n;
            len -= n;
        }
    }

    /** A little-endian unsigned integer of {@code bytes} bytes (at most 8). */
    long littleEndian(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    /**
     * An RDB length (6, 14, 32 or 64 bits). When the two top bits say a special string encoding follows, returns
     * that encoding's number and {@link #encoding()} tells so; otherwise {@link #encoding()} is {@link #NOT_ENCODED}.
     */
    long length() {
        int first = u8();
        int kind = (first & 0xc0) >> 6;
        encoding = NOT_ENCODED;
        switch (kind) {
            case 0:
                return first & 0x3f;
            case 1:
                return ((first & 0x3f) << 8) | u8();
            case 3:
                encoding = first & 0x3f;
                return encoding;
            default:
                if (first == 0x80) {
                    return bigEndian(4);
                }
                if (first == 0x81) {
                    return bigEndian(8); // unsigned: some fields (a group's entries read) store -1
                }
                throw new RdbFormatException("unknown length encoding 0x" + Integer.toHexString(first) + " at byte "
                        + (offset() - 1), offset() - 1);
        }
    }

    /** A length that must not be a special encoding (element counts and the like). */
    long plainLength(String what) {
        long at = offset();
        long v = length();
        if (encoding != NOT_ENCODED || v < 0) {
            throw new RdbFormatException(what + " has an invalid length at byte " + at, at);
        }
        return v;
    }

    int encoding() {
        return encoding;
    }

    private long bigEndian(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    /** The checksum of every byte read so far. */
    long checksumSoFar() {
        crc.update(buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        return crc.value();
    }
}
