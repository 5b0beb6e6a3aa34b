package io.memdoctor.redis.resp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses RESP2 replies in place from one read buffer, integers without any object, one reply at a time in the
 * order the commands were written.
 *
 * <p>Whatever the server sends, what it costs is bounded by the {@link ReplyLimits}: a header announcing a bulk
 * string or an array over the limit fails before anything is allocated, lines are cut at the line limit, and a
 * whole reply (nested elements included) at the reply limit. Each reply also has a deadline, the timeout counted
 * from the first time the reader waits for it, so a server that trickles a byte at a time cannot hold a read
 * forever. Nesting is tracked (remaining elements per open array) so that the deadline and the reply limit apply
 * to whole replies, not to each element.
 */
final class RespReader {

    private static final long NO_DEADLINE = Long.MIN_VALUE;

    private final RespSocket socket;
    private final RespWriter writer;
    private final ReplyLimits limits;
    private final byte[] input = new byte[1 << 16];
    private int position;
    private int limit;
    /** Bytes read into the buffer before its current content. */
    private long consumed;
    /** Where the reply being read started, in bytes read from the connection. */
    private long replyStart;
    private long deadline;
    /** Elements still to read of each open array, outermost first. */
    private final long[] open;
    private int depth;

    private long integer;
    private String text;
    private byte[] bulk;

    RespReader(RespSocket socket, RespWriter writer, ReplyLimits limits) {
        this.socket = socket;
        this.writer = writer;
        this.limits = limits;
        this.open = new long[limits.maxDepth()];
    }

    int read() throws IOException {
        if (depth == 0) {
            replyStart = consumed + position;
            // set at the first wait: a clock read per reply would cost a scan of millions of replies real time
            deadline = NO_DEADLINE;
        }
        int kind = header();
        if (kind == RespConnection.ARRAY && integer > 0) {
            if (depth == open.length) {
                throw limits.deep();
            }
            open[depth++] = integer;
        }
        else {
            while (depth > 0 && --open[depth - 1] == 0) {
                depth--;
            }
        }
        return kind;
    }

    private int header() throws IOException {
        byte kind = next();
        switch (kind) {
            case ':' -> {
                integer = line();
                return RespConnection.INTEGER;
            }
            case '$' -> {
                long length = line();
                if (length < 0) {
                    return RespConnection.NIL;
                }
                ReplyRejected rejected = limits.checkBulk(length);
                if (rejected == null) {
                    rejected = limits.checkReply(consumed + position - replyStart + length);
                }
                if (rejected != null) {
                    throw rejected;
                }
                bulk = bytes((int) length);
                return RespConnection.BULK;
            }
            case '*' -> {
                integer = line();
                ReplyRejected rejected = limits.checkElements(integer);
                if (rejected != null) {
                    throw rejected;
                }
                return integer < 0 ? RespConnection.NIL : RespConnection.ARRAY;
            }
            case '+' -> {
                text = textLine();
                return RespConnection.STATUS;
            }
            case '-' -> {
                text = textLine();
                return RespConnection.ERROR;
            }
            default -> throw new ReplyRejected("a byte that starts no RESP reply (" + (kind & 0xff) + ")", null);
        }
    }

    long integer() {
        return integer;
    }

    String text() {
        return text;
    }

    byte[] bulk() {
        return bulk;
    }

    private byte next() throws IOException {
        if (position == limit) {
            fill();
        }
        return input[position++];
    }

    /** Reads more, after sending what is pending: the replies to wait for may be to commands not sent yet. */
    private void fill() throws IOException {
        writer.flush();
        ReplyRejected rejected = limits.checkReply(consumed + position - replyStart);
        if (rejected != null) {
            throw rejected;
        }
        long now = System.nanoTime();
        if (deadline == NO_DEADLINE) {
            deadline = now + socket.timeout().toNanos();
        }
        long left = deadline - now;
        if (left <= 0) {
            throw socket.timeoutException();
        }
        socket.readTimeout(Math.min(left, socket.timeout().toNanos()));
        int read = socket.read(input, 0, input.length);
        if (read < 0) {
            throw new EOFException("connection closed by Redis");
        }
        consumed += limit;
        position = 0;
        limit = read;
    }

    /** A signed decimal up to CRLF. */
    private long line() throws IOException {
        long value = 0;
        boolean negative = false;
        byte b = next();
        if (b == '-') {
            negative = true;
            b = next();
        }
        int digits = 0;
        while (b != '\r') {
            if (b < '0' || b > '9' || ++digits > 18) {
                throw new ReplyRejected("a malformed number", null);
            }
            value = value * 10 + (b - '0');
            b = next();
        }
        if (next() != '\n') {
            throw new ReplyRejected("a malformed line end", null);
        }
        return negative ? -value : value;
    }

    /** A status or error line (rare: TYPE answers and errors), up to CRLF. */
    private String textLine() throws IOException {
        byte[] line = new byte[32];
        int length = 0;
        byte b;
        while ((b = next()) != '\r') {
            if (length == line.length) {
                if (length >= limits.maxLineBytes()) {
                    throw limits.longLine();
                }
                line = Arrays.copyOf(line, Math.min(limits.maxLineBytes(), length * 2));
            }
            line[length++] = b;
        }
        if (next() != '\n') {
            throw new ReplyRejected("a malformed line end", null);
        }
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int length) throws IOException {
        byte[] value = new byte[length];
        int copied = 0;
        while (copied < length) {
            if (position == limit) {
                fill();
            }
            int chunk = Math.min(length - copied, limit - position);
            System.arraycopy(input, position, value, copied, chunk);
            position += chunk;
            copied += chunk;
        }
        if (next() != '\r' || next() != '\n') {
            throw new ReplyRejected("a bulk string without its line end", null);
        }
        return value;
    }
}
