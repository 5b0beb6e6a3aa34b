package io.memdoctor.redis.resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes commands straight into one byte buffer, sent with one socket write per {@link #flush()}: a whole round
 * of pipelined commands leaves in one write.
 */
final class RespWriter {

    private final RespSocket socket;
    private byte[] output = new byte[1 << 16];
    private int written;

    RespWriter(RespSocket socket) {
        this.socket = socket;
    }

    void begin(int arguments) {
        ensure(16);
        output[written++] = '*';
        decimal(arguments);
        crlf();
    }

    void raw(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, output, written, encoded.length);
        written += encoded.length;
    }

    void argument(byte[] value) {
        ensure(value.length + 24);
        output[written++] = '$';
        decimal(value.length);
        crlf();
        System.arraycopy(value, 0, output, written, value.length);
        written += value.length;
        crlf();
    }

    /** Constant arguments as they are encoded, each {@code $len\r\nvalue\r\n}. */
    static byte[] encode(String... arguments) {
        StringBuilder out = new StringBuilder();
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            out.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    void flush() throws IOException {
        if (written == 0) {
            return;
        }
        socket.write(output, written);
        written = 0;
        if (output.length > 1 << 20) {
            // a batch of long keys grew the buffer: give the memory back
            output = new byte[1 << 16];
        }
    }

    private void ensure(int bytes) {
        if (written + bytes > output.length) {
            output = Arrays.copyOf(output, Math.max(output.length * 2, written + bytes));
        }
    }

    private void crlf() {
        output[written++] = '\r';
        output[written++] = '\n';
    }

    private void decimal(long value) {
        if (value < 0) {
            output[written++] = '-';
            value = -value;
        }
        if (value < 10) {
            output[written++] = (byte) ('0' + value);
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        for (int i = written + digits - 1; i >= written; i--) {
            output[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        written += digits;
    }
}
