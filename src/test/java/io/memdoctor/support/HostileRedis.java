package io.memdoctor.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake Redis that plays a hostile or broken peer: it accepts connections and answers every command with one
 * {@link Behaviour}, whatever the command. Only for what a real redis-server cannot be made to do.
 */
public final class HostileRedis implements AutoCloseable {

    /** The line an error reply tries to slip into the dashboard's log. */
    public static final String FORGED = "FORGED-LOG-LINE ERROR admin logged in";

    /** How the fake server answers. */
    public enum Behaviour {
        /** Announces a bulk string of 1.5 GB, then streams bytes for as long as the client reads. */
        HUGE_BULK,
        /** A status line that never ends. */
        ENDLESS_LINE,
        /** Announces an array of 100,000,000 elements, then streams elements. */
        HUGE_ARRAY,
        /** An error reply whose text holds a line feed followed by a forged log line. */
        ERROR_WITH_NEWLINES,
        /** Reads and never answers. */
        SILENT
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();

    private HostileRedis(ServerSocket server, Behaviour behaviour) {
        this.server = server;
        this.behaviour = behaviour;
        Thread acceptor = new Thread(this::accept, "hostile-redis-" + behaviour);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static HostileRedis start(Behaviour behaviour) {
        try {
            return new HostileRedis(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), behaviour);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    /** Bytes written to clients so far, all connections together. */
    public long bytesSent() {
        return bytesSent.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                clients.add(client);
                Thread thread = new Thread(() -> serve(client), "hostile-redis-client");
                thread.setDaemon(true);
                thread.start();
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                int commands = commands(buffer, read);
                switch (behaviour) {
                    case SILENT -> {
                        // reads on, answers nothing
                    }
                    case ERROR_WITH_NEWLINES -> {
                        for (int i = 0; i < commands; i++) {
                            send(out, "-ERR first line\n" + FORGED + "\r\n");
                        }
                    }
                    case HUGE_BULK -> stream(out, "$1500000000\r\n", "x");
                    case ENDLESS_LINE -> stream(out, "+", "a");
                    case HUGE_ARRAY -> stream(out, "*100000000\r\n", ":1\r\n");
                }
            }
        }
        catch (IOException ex) {
            // the client gave up: what a hostile server wants least
        }
    }

    /** Commands in what the client sent: each starts with an array header at the start of a line. */
    private static int commands(byte[] buffer, int length) {
        int count = buffer[0] == '*' ? 1 : 0;
        for (int i = 2; i < length; i++) {
            if (buffer[i] == '*' && buffer[i - 1] == '\n' && buffer[i - 2] == '\r') {
                count++;
            }
        }
        return Math.max(1, count);
    }

    private void stream(OutputStream out, String header, String unit) throws IOException {
        send(out, header);
        byte[] unitBytes = unit.getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[64 * 1024 / unitBytes.length * unitBytes.length];
        for (int i = 0; i < chunk.length; i += unitBytes.length) {
            System.arraycopy(unitBytes, 0, chunk, i, unitBytes.length);
        }
        // until the client closes the connection (the write then fails) or about 1.5 GB are sent
        for (long sent = 0; sent < 1_500_000_000L; sent += chunk.length) {
            out.write(chunk);
            bytesSent.addAndGet(chunk.length);
        }
        out.flush();
    }

    private void send(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        bytesSent.addAndGet(bytes.length);
    }

    @Override
    public void close() {
        try {
            server.close();
        }
        catch (IOException ignored) {
            // closing is all that is wanted
        }
        for (Socket client : clients) {
            try {
                client.close();
            }
            catch (IOException ignored) {
                // as above
            }
        }
    }

    @Override
    public String toString() {
        return behaviour + " on port " + port();
    }
}
