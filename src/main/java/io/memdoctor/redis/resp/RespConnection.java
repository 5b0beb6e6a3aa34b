package io.memdoctor.redis.resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocketFactory;

import io.memdoctor.instances.RedisUrl;

/**
 * A minimal pipelined RESP2 connection, for keyspace scans: a {@link RespSocket} (socket and write watchdog), a
 * {@link RespWriter} that encodes commands straight into one buffer, and a {@link RespReader} that parses replies in
 * place, within {@link ReplyLimits}. Lettuce (used for every other command) costs about 3 us of CPU per command on
 * its per-command path, which made the client, not Redis, the bottleneck of a scan; see docs/decisions.md.
 *
 * <p>Opened by the Redis gateway ({@code io.memdoctor.redis.RedisGateway}), which knows the instance's URL, TLS
 * trust and limits. Single-threaded by design: the caller's thread writes and reads, in order. Pending commands
 * are flushed before any read that has to wait, so a whole round of commands leaves in one write. Every wait is
 * bounded by the timeout. Not thread-safe.
 */
public final class RespConnection implements AutoCloseable {

    /** Reply kinds returned by {@link #read()}. */
    public static final int INTEGER = 1;
    public static final int BULK = 2;
    public static final int NIL = 3;
    public static final int ARRAY = 4;
    public static final int STATUS = 5;
    public static final int ERROR = 6;

    /**
     * Limits for a scan's replies when none are given: key names up to 1 MiB (Redis allows 512 MB, but a name that
     * long is an accident or an attack; names over 1 KiB are shown shortened anyway), SCAN pages of up to 100,000
     * keys (COUNT is at most 10,000, and SCAN returns about COUNT) and 16 MiB, two levels of nesting (SCAN's reply).
     */
    public static final ReplyLimits SCAN_LIMITS = new ReplyLimits(64 * 1024, 1 << 20, 100_000, 2, 16L << 20,
            "memdoctor.redis.scans");

    private final RespSocket socket;
    private final RespWriter writer;
    private final RespReader reader;

    private RespConnection(RespSocket socket, ReplyLimits limits) {
        this.socket = socket;
        this.writer = new RespWriter(socket);
        this.reader = new RespReader(socket, writer, limits);
    }

    /** Connects to the Redis of a URL; {@code tls} is used for {@code rediss://} (the JDK's default if null). */
    public static RespConnection open(RedisUrl url, SSLSocketFactory tls, Duration timeout) throws IOException {
        return open(url, tls, timeout, SCAN_LIMITS);
    }

    /** Connects to the Redis of a URL, accepting replies within {@code limits}. */
    public static RespConnection open(RedisUrl url, SSLSocketFactory tls, Duration timeout, ReplyLimits limits)
            throws IOException {
        SSLSocketFactory factory = !url.tls() ? null
                : tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
        return open(url.host(), url.port(), factory, url.username(), url.password(), url.database(), timeout, limits);
    }

    /**
     * Connects, then authenticates and selects the database if asked to.
     *
     * @param tls a factory for {@code rediss://}, {@code null} for plain TCP
     * @param username {@code null} for the default user
     * @param password {@code null} for no AUTH
     * @throws IOException when connecting fails or Redis refuses AUTH or SELECT (its message never holds the
     *         password; Redis' error is its cause, a {@link RedisError})
     */
    public static RespConnection open(String host, int port, SSLSocketFactory tls, String username, String password,
            int database, Duration timeout, ReplyLimits limits) throws IOException {
        RespConnection connection = new RespConnection(RespSocket.connect(host, port, tls, timeout), limits);
        try {
            if (password != null) {
                connection.handshake(username == null ? new String[] {"AUTH", password}
                        : new String[] {"AUTH", username, password});
            }
            if (database != 0) {
                connection.handshake("SELECT", Integer.toString(database));
            }
            return connection;
        }
        catch (IOException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
    }

    /** {@link #open(String, int, SSLSocketFactory, String, String, int, Duration, ReplyLimits)} with scan limits. */
    public static RespConnection open(String host, int port, SSLSocketFactory tls, String username, String password,
            int database, Duration timeout) throws IOException {
        return open(host, port, tls, username, password, database, timeout, SCAN_LIMITS);
    }

    /**
     * Sends one command whose reply is a status ({@code READONLY}, say) and waits for it.
     *
     * @throws IOException when Redis refuses it (Redis' error is its cause)
     */
    public void command(String... command) throws IOException {
        handshake(command);
    }

    private void handshake(String... command) throws IOException {
        begin(command.length);
        for (String argument : command) {
            argument(argument.getBytes(StandardCharsets.UTF_8));
        }
        if (read() == ERROR) {
            throw new IOException(command[0] + " was refused: " + text(), new RedisError(text()));
        }
    }

    /** Bounds every later wait for a reply, and every write. */
    public void timeout(Duration timeout) throws IOException {
        socket.timeout(timeout);
    }

    // ---- writing: commands are encoded into the output buffer and leave at the next flush

    /** Starts a command of {@code arguments} arguments (the command name included). */
    public void begin(int arguments) {
        writer.begin(arguments);
    }

    /** Appends bytes already encoded as RESP (a constant command prefix, say). */
    public void raw(byte[] encoded) {
        writer.raw(encoded);
    }

    /** Appends one argument as a bulk string. */
    public void argument(byte[] value) {
        writer.argument(value);
    }

    /** Constant arguments as they are encoded, each {@code $len\r\nvalue\r\n}, for {@link #raw}. */
    public static byte[] encode(String... arguments) {
        return RespWriter.encode(arguments);
    }

    /** Sends what was written since the last flush. */
    public void flush() throws IOException {
        writer.flush();
    }

    // ---- reading: one reply at a time, in the order the commands were written

    /**
     * Reads the next reply's header: an integer ({@link #integer()}), a bulk string ({@link #bulk()}), a nil, an
     * array (its length in {@link #integer()}, elements to be read next), a status or an error ({@link #text()}).
     * Flushes pending commands first if it has to wait.
     *
     * @throws ReplyRejected when the reply goes beyond the limits
     */
    public int read() throws IOException {
        return reader.read();
    }

    /** Reads a reply that must be an integer, or an error. */
    public long readInteger() throws IOException {
        int kind = read();
        if (kind == ERROR) {
            throw new RedisError(text());
        }
        if (kind != INTEGER) {
            throw unexpected(kind);
        }
        return integer();
    }

    public long integer() {
        return reader.integer();
    }

    public String text() {
        return reader.text();
    }

    public byte[] bulk() {
        return reader.bulk();
    }

    /** The failure for a reply of a kind the command never answers with. */
    public IOException unexpected(int kind) {
        return new IOException("unexpected reply from Redis (kind " + kind + ")");
    }

    @Override
    public void close() {
        socket.close();
    }

    /** An error reply ({@code -ERR ...}, {@code -WRONGTYPE ...}), with Redis' message. */
    public static final class RedisError extends RuntimeException {

        public RedisError(String message) {
            super(message, null, false, false);
        }

        /** The error's code, its first word: {@code ERR}, {@code WRONGTYPE}, {@code NOPERM}... */
        public String code() {
            String message = getMessage();
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }
}
