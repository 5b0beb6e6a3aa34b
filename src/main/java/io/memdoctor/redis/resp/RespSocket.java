package io.memdoctor.redis.resp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket under a {@link RespConnection}, and the watchdog that bounds its writes.
 *
 * <p>Reads are bounded by the socket timeout (the reader sets it to what is left of the reply's deadline). A
 * blocking write has no timeout of its own: a paused Redis stops reading and the write would wait forever, so a
 * watchdog closes the socket when a write has been stuck for longer than the timeout. The watchdog looks a few
 * times per timeout instead of being armed and cancelled around every write: arming it woke its thread on every
 * flush, a second thread switch per batch that a rate-limited scan (thousands of small batches a second) paid for
 * in CPU taken from Redis and its clients.
 */
final class RespSocket {

    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    private static final long NOT_WRITING = Long.MIN_VALUE;

    private final Socket socket;
    /** The TCP socket under a TLS one (the same socket without TLS): closing it never blocks. */
    private final Socket tcp;
    private final InputStream in;
    private final OutputStream out;
    private volatile Duration timeout;
    private volatile boolean timedOut;
    /** When the write in progress started ({@link System#nanoTime()}), {@link #NOT_WRITING} between writes. */
    private volatile long writeStarted = NOT_WRITING;
    private int readTimeoutMillis;
    private final ScheduledFuture<?> watchdog;

    private RespSocket(Socket socket, Socket tcp, Duration timeout) throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        timeout(timeout);
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        this.watchdog = WATCHDOG.scheduleAtFixedRate(this::checkWrite, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects, over TLS with host name verification when {@code tls} is given.
     *
     * @param tls a factory for {@code rediss://}, {@code null} for plain TCP
     */
    static RespSocket connect(String host, int port, SSLSocketFactory tls, Duration timeout) throws IOException {
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true);
            tcp.setKeepAlive(true);
            tcp.setSoTimeout(millis(timeout.toNanos()));
            tcp.connect(new InetSocketAddress(host, port), millis(timeout.toNanos()));
            Socket socket = tcp;
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(tcp, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            return new RespSocket(socket, tcp, timeout);
        }
        catch (IOException | RuntimeException ex) {
            tcp.close();
            throw ex;
        }
    }

    /** Bounds every later wait for a reply, and every write. */
    void timeout(Duration timeout) throws IOException {
        this.timeout = timeout;
        readTimeout(timeout.toNanos());
    }

    Duration timeout() {
        return timeout;
    }

    /** Bounds the next reads to what is left of a deadline; a no-op when it is unchanged (the common case). */
    void readTimeout(long nanos) throws IOException {
        int millis = millis(nanos);
        if (millis != readTimeoutMillis) {
            socket.setSoTimeout(millis);
            readTimeoutMillis = millis;
        }
    }

    int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return in.read(buffer, offset, length);
        }
        catch (IOException ex) {
            throw timedOut ? timeoutException() : ex;
        }
    }

    void write(byte[] buffer, int length) throws IOException {
        writeStarted = System.nanoTime();
        try {
            out.write(buffer, 0, length);
            out.flush();
        }
        catch (IOException ex) {
            throw timedOut ? timeoutException() : ex;
        }
        finally {
            writeStarted = NOT_WRITING;
        }
    }

    SocketTimeoutException timeoutException() {
        return new SocketTimeoutException("no progress within " + timeout.toMillis() + " ms");
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
    void close() {
        watchdog.cancel(false);
        try {
            tcp.close();
        }
        catch (IOException ignored) {
            // closing is all that is wanted
        }
    }

    private static int millis(long nanos) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (nanos + 999_999) / 1_000_000));
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "resp-write-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
