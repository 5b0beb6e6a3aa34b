package io.memdoctor.rdb;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tiny RESP2 client for loading test data: pipelined writes, replies as Long, byte[], String, List or error. */
final class Resp implements AutoCloseable {

    /** An error reply. */
    record Err(String message) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private int pending;

    Resp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Queues a command; replies are read by {@link #sync()} or {@link #call}. */
    Resp send(Object... args) {
        try {
            out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Object a : args) {
                byte[] b = a instanceof byte[] bytes ? bytes : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
                out.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.write('\r');
                out.write('\n');
            }
            pending++;
            if (pending >= 1000) {
                sync();
            }
            return this;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every pending reply; fails on the first error. */
    void sync() {
        try {
            out.flush();
            while (pending > 0) {
                pending--;
                Object r = read();
                if (r instanceof Err e) {
                    throw new IllegalStateException("redis error: " + e.message());
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object call(Object... args) {
        sync();
        send(args);
        pending--;
        try {
            out.flush();
            return read();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long integer(Object... args) {
        Object r = call(args);
        if (r instanceof Long l) {
            return l;
        }
        throw new IllegalStateException("expected an integer from " + List.of(args) + ", got " + r);
    }

    String text(Object... args) {
        Object r = call(args);
        return r instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(r);
    }

    private Object read() throws IOException {
        int kind = in.read();
        String line = line();
        switch (kind) {
            case '+':
                return line;
            case '-':
                return new Err(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                in.read();
                in.read();
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read());
                }
                return list;
            }
            default:
                throw new IOException("bad reply type " + kind);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing anyway
        }
    }
}
