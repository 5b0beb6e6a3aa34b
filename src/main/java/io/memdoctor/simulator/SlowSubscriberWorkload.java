package io.memdoctor.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A pub/sub subscriber that stopped reading: it subscribes (named {@code feed-reader}), then never reads again,
 * while a publisher sends 4 KB messages, about 2 MB a second. With the pubsub output buffer limit lifted (as on an
 * instance where someone set it to 0 to stop disconnections), its output buffer, in {@code mem_clients_normal}, grows
 * until it holds {@link #CAP_BYTES}; the dataset stays as it was.
 */
final class SlowSubscriberWorkload implements Workload {

    static final int MESSAGE_BYTES = 4096;
    static final int MESSAGES_PER_TICK = 50;
    static final long CAP_BYTES = 300L * 1024 * 1024;

    private Socket subscriber;

    @Override
    public List<String> serverArgs() {
        return List.of("--client-output-buffer-limit", "pubsub", "0", "0", "0");
    }

    @Override
    public void prepare(Load load) {
        load.setMany("user:", 0, 20_000, 1000, 0);
        try {
            subscriber = new Socket();
            // a small receive window, so the kernel holds little and Redis keeps the rest
            subscriber.setReceiveBufferSize(4096);
            subscriber.connect(new InetSocketAddress("127.0.0.1", load.server().port()), 5000);
            subscriber.setSoTimeout(5000);
            OutputStream out = subscriber.getOutputStream();
            out.write(("*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$11\r\nfeed-reader\r\n"
                    + "*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nfeed\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = subscriber.getInputStream();
            byte[] reply = new byte[256];
            String seen = "";
            while (!seen.contains("subscribe")) {
                int read = in.read(reply);
                if (read < 0) {
                    throw new IllegalStateException("the subscriber's connection closed");
                }
                seen += new String(reply, 0, read, StandardCharsets.US_ASCII);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("could not subscribe: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void run(Load load) {
        String message = load.value(MESSAGE_BYTES);
        int tick = 0;
        while (load.running()) {
            if (tick++ % 10 != 0 || load.infoLong("memory", "mem_clients_normal") < CAP_BYTES) {
                load.batch(MESSAGES_PER_TICK, i -> load.commands().publish("feed", message));
            }
            load.pause(100);
        }
    }

    @Override
    public void close() {
        try {
            if (subscriber != null) {
                subscriber.close();
            }
        }
        catch (IOException ex) {
            // closing a socket we no longer need
        }
    }
}
