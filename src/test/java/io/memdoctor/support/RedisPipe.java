package io.memdoctor.support;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mass insertion through {@code redis-cli --pipe}: commands are written as RESP straight into its standard input,
 * so a million keys load in seconds with no client library in the way. Arguments are raw bytes, so binary key
 * names go in as they are.
 */
public final class RedisPipe implements AutoCloseable {

    private static final Pattern SUMMARY = Pattern.compile("errors: (\\d+), replies: (\\d+)");

    private final Process process;
    private final OutputStream out;
    private long commands;

    private RedisPipe(Process process) {
        this.process = process;
        this.out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
    }

    /** Opens {@code redis-cli --pipe} against the server. */
    public static RedisPipe to(RedisServer server) {
        return to(server.port());
    }

    /** Opens {@code redis-cli --pipe} against a server on this machine. */
    public static RedisPipe to(int port) {
        try {
            Process process = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "--pipe").redirectErrorStream(true).start();
            return new RedisPipe(process);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Queues one command whose arguments are text. */
    public RedisPipe command(String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return raw(raw);
    }

    /**
     * Fills one collection key in chunks of 1000 elements: {@code COMMAND key e1.. e2..}, where each element is
     * {@code width} arguments ({@code 1} for RPUSH/SADD, {@code 2} for HSET field value or ZADD score member).
     */
    public RedisPipe fill(String command, String key, int elements, int width,
            java.util.function.IntFunction<String[]> element) {
        int chunk = 1000;
        for (int start = 0; start < elements; start += chunk) {
            int n = Math.min(chunk, elements - start);
            String[] args = new String[2 + n * width];
            args[0] = command;
            args[1] = key;
            for (int i = 0; i < n; i++) {
                System.arraycopy(element.apply(start + i), 0, args, 2 + i * width, width);
            }
            command(args);
        }
        return this;
    }

    /** Queues one command with raw-byte arguments. */
    public RedisPipe raw(byte[]... args) {
        try {
            writeAscii("*" + args.length + "\r\n");
            for (byte[] arg : args) {
                writeAscii("$" + arg.length + "\r\n");
                out.write(arg);
                writeAscii("\r\n");
            }
            commands++;
            return this;
        }
        catch (IOException ex) {
            throw new IllegalStateException("redis-cli --pipe stopped reading", ex);
        }
    }

    private void writeAscii(String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            out.write(text.charAt(i));
        }
    }

    /** Sends everything, waits for redis-cli to read every reply, and fails if any command failed. */
    @Override
    public void close() {
        try {
            out.close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli --pipe did not finish");
            }
            Matcher summary = SUMMARY.matcher(output);
            if (!summary.find() || !summary.group(1).equals("0") || Long.parseLong(summary.group(2)) != commands) {
                throw new IllegalStateException("redis-cli --pipe: " + output.strip());
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
