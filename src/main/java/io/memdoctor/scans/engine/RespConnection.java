package io.memdoctor.scans.engine;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.memdoctor.instances.RedisUrl;

/**
 * A minimal pipelined RESP2 connection for the scan engine only: commands are encoded straight into one byte
 * buffer and written with one socket write per flush; replies are parsed in place from one read buffer, integers
 * without any object. Lettuce (used everywhere else) costs about 3 us of CPU per command on its per-command path
 * (command object, Netty write and promise, command stack, future completion), which made the client, not Redis,
 * the bottleneck of a scan; see docs/decisions.md.
 *
 * <p>Single-threaded by design: the scan's own thread writes and reads, in order. Pending commands are flushed
 * before any read that has to wait, so a whole round of commands leaves in one write. Every wait is bounded by
 * the timeout: reads by the socket timeout, writes (a paused Redis stops reading) by a watchdog that closes the
 * socket. The watchdog looks at the connection a few times per timeout instead of being armed and cancelled
 * around every write: arming it woke its thread on every flush, a second thread switch per batch that a
 * rate-limited scan (thousands of small batches a second) paid for in CPU taken from Redis and its clients.
 * TLS ({@code rediss://}) goes through the JDK's {@link SSLSocket} with host name verification.
 * Not thread-safe.
 */
public final class RespConnection implements AutoCloseable {

    /** Reply kinds returned by {@link #read()}. */
    public static final int INTEGER = 1;
    public static final int BULK = 2;
    public static final int NIL = 3;
    public static final int ARRAY = 4;
    public static final int STATUS = 5;
    public static final int ERROR = 6;

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Socket socket;
    /** The TCP socket under a TLS one (the same socket without TLS): closing it never blocks. */
    private final Socket tcp;
    private final InputStream in;
    private final OutputStream out;
    private volatile Duration timeout;

    private byte[] output = new byte[1 << 16];
    private int written;
    private final byte[] input = new byte[1 << 16];
    private int position;
    private int limit;

    private long integer;
    private String text;
    private byte[] bulk;
    private volatile boolean timedOut;
    /** When the write in progress started ({@link System#nanoTime()}), {@link #NOT_WRITING} between writes. */
    private volatile long writeStarted = NOT_WRITING;
    private final ScheduledFuture<?> watchdog;

    private static final long NOT_WRITING = Long.MIN_VALUE;

    private RespConnection(Socket socket, Socket tcp, Duration timeout) throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        timeout(timeout);
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        this.watchdog = WATCHDOG.scheduleAtFixedRate(this::checkWrite, period, period, TimeUnit.MILLISECONDS);
    }

    /** Connects to the Redis of a URL; {@code tls} is used for {@code rediss://} (the JDK's default if null). */
    public static RespConnection open(RedisUrl url, SSLSocketFactory tls, Duration timeout) throws IOException {
        SSLSocketFactory factory = !url.tls() ? null
                : tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
        return open(url.host(), url.port(), factory, url.username(), url.password(), url.database(), timeout);
    }

    /**
     * Connects, then authenticates and selects the database if asked to.
     *
     * @param tls a factory for {@code rediss://}, {@code null} for plain TCP
     * @param username {@code null} for the default user
     * @param password {@code null} for no AUTH
     * @throws IOException when connecting fails or Redis refuses AUTH or SELECT (its message never holds the
     *         password)
     */
    public static RespConnection open(String host, int port, SSLSocketFactory tls, String username, String password,
            int database, Duration timeout) throws IOException {
        Socket tcp = new Socket();
        Socket socket = tcp;
        RespConnection connection = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout(millis(timeout));
            socket.connect(new InetSocketAddress(host, port), millis(timeout));
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            connection = new RespConnection(socket, tcp, timeout);
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
            if (connection != null) {
                connection.close();
            }
            tcp.close();
            throw ex;
        }
    }

    /** A TLS socket factory that trusts the certificates of a PEM file (certificate authorities or self-signed). */
    public static SSLSocketFactory trusting(Path pem) throws IOException {
        try (InputStream certificates = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(certificates)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        }
        catch (GeneralSecurityException ex) {
            throw new IOException("cannot trust the certificates in " + pem + ": " + ex.getMessage(), ex);
        }
    }

    private void handshake(String... command) throws IOException {
        begin(command.length);
        for (String argument : command) {
            argument(argument.getBytes(StandardCharsets.UTF_8));
        }
        if (read() == ERROR) {
            throw new IOException(command[0] + " was refused: " + text);
        }
    }

    /** Bounds every later wait for a reply, and every write. */
    public void timeout(Duration timeout) throws IOException {
        this.timeout = timeout;
        socket.setSoTimeout(millis(timeout));
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    // ---- writing: commands are encoded into the output buffer and leave at the next flush

    /** Starts a command of {@code arguments} arguments (the command name included). */
    public void begin(int arguments) {
        ensure(16);
        output[written++] = '*';
        decimal(arguments);
        crlf();
    }

    /** Appends bytes already encoded as RESP (a constant command prefix, say). */
    public void raw(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, output, written, encoded.length);
        written += encoded.length;
    }

    /** Appends one argument as a bulk string. */
    public void argument(byte[] value) {
        ensure(value.length + 24);
        output[written++] = '$';
        decimal(value.length);
        crlf();
        System.arraycopy(value, 0, output, written, value.length);
        written += value.length;
        crlf();
    }

    /** Constant arguments as they are encoded, each {@code $len\r\nvalue\r\n}, for {@link #raw}. */
    public static byte[] encode(String... arguments) {
        StringBuilder out = new StringBuilder();
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            out.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends what was written since the last flush. */
    public void flush() throws IOException {
        if (written == 0) {
            return;
        }
        // a paused Redis stops reading and a blocking write would wait forever: the watchdog closes the socket
        writeStarted = System.nanoTime();
        try {
            out.write(output, 0, written);
            out.flush();
        }
        catch (IOException ex) {
            throw timedOut ? timeoutException() : ex;
        }
        finally {
            writeStarted = NOT_WRITING;
        }
        written = 0;
        if (output.length > 1 << 20) {
            output = new byte[1 << 16];
        }
    }

    /** Run by the watchdog: closes the socket when a write has been stuck for longer than the timeout. */
    private void checkWrite() {
        long started = writeStarted;
        if (started != NOT_WRITING && System.nanoTime() - started > timeout.toNanos()) {
            timedOut = true;
            close();
        }
    }

    /**
     * Closes the TCP socket, also under TLS: closing the TLS socket would first send close_notify, which waits for
     * the very write that is stuck (a paused Redis), and Redis needs no close_notify.
     */
    @Override
    public void close() {
        watchdog.cancel(false);
        try {
            tcp.close();
        }
        catch (IOException ignored) {
            // closing is all that is wanted
        }
    }

    private SocketTimeoutException timeoutException() {
        return new SocketTimeoutException("no progress within " + timeout.toMillis() + " ms");
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

    // ---- reading: one reply at a time, in the order the commands were written

    /**
     * Reads the next reply's header: an integer ({@link #integer()}), a bulk string ({@link #bulk()}), a nil, an
     * array (its length in {@link #integer()}, elements to be read next), a status or an error ({@link #text()}).
     * Flushes pending commands first if it has to wait.
     */
    public int read() throws IOException {
        byte kind = next();
        switch (kind) {
            case ':' -> {
                integer = line();
                return INTEGER;
            }
            case '$' -> {
                long length = line();
                if (length < 0) {
                    return NIL;
                }
                bulk = bytes((int) length);
                return BULK;
            }
            case '*' -> {
                integer = line();
                return integer < 0 ? NIL : ARRAY;
            }
            case '+' -> {
                text = textLine();
                return STATUS;
            }
            case '-' -> {
                text = textLine();
                return ERROR;
            }
            default -> throw new IOException("unexpected reply from Redis (byte " + (kind & 0xff) + ")");
        }
    }

    /** Reads a reply that must be an integer, or an error. */
    public long readInteger() throws IOException {
        int kind = read();
        if (kind == ERROR) {
            throw new RedisError(text);
        }
        if (kind != INTEGER) {
            throw unexpected(kind);
        }
        return integer;
    }

    public long integer() {
        return integer;
    }

    public String text() {
        return text;
    }

    public byte[] bulk() {
        return bulk;
    }

    /** The failure for a reply of a kind the command never answers with. */
    public IOException unexpected(int kind) {
        return new IOException("unexpected reply from Redis (kind " + kind + ")");
    }

    private byte next() throws IOException {
        if (position == limit) {
            fill();
        }
        return input[position++];
    }

    private void fill() throws IOException {
        flush();
        int read;
        try {
            read = in.read(input, 0, input.length);
        }
        catch (IOException ex) {
            throw timedOut ? timeoutException() : ex;
        }
        if (read < 0) {
            throw new EOFException("connection closed by Redis");
        }
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
        while (b != '\r') {
            if (b < '0' || b > '9') {
                throw new IOException("malformed number in a reply from Redis");
            }
            value = value * 10 + (b - '0');
            b = next();
        }
        if (next() != '\n') {
            throw new IOException("malformed reply from Redis");
        }
        return negative ? -value : value;
    }

    /** A status or error line (rare: TYPE answers and errors), up to CRLF. */
    private String textLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(16);
        byte b;
        while ((b = next()) != '\r') {
            line.write(b);
        }
        if (next() != '\n') {
            throw new IOException("malformed reply from Redis");
        }
        return line.toString(StandardCharsets.UTF_8);
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
            throw new IOException("malformed bulk reply from Redis");
        }
        return value;
    }


    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "scan-write-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** An error reply ({@code -ERR ...}, {@code -WRONGTYPE ...}), with Redis' message. */
    public static final class RedisError extends RuntimeException {

        public RedisError(String message) {
            super(message, null, false, false);
        }
    }
}
