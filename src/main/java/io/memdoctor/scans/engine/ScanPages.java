package io.memdoctor.scans.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.memdoctor.redis.resp.RespConnection;

/** SCAN as a scan sends it (with COUNT, and MATCH and TYPE when asked for) and its replies, read as pages of keys. */
final class ScanPages {

    /**
     * A rate-limited scan sends small batches: a five-hundredth of a second's worth of keys, 10 to 20 keys (30 to
     * 60 commands). Smaller batches mean shorter stretches of scan commands for other clients to wait behind, but
     * more wake-ups of the scan's thread and more reads and writes for Redis. At about 40,000 keys/s on a 2-core
     * host shared with Redis and a GET load, 20-key batches left that load more throughput than 10-key ones, and
     * splitting a batch into spaced 5- or 10-key writes cut it by a fifth (docs/benchmarks/scan.md).
     */
    private static final int THROTTLED_BATCHES_PER_SECOND = 500;
    private static final int MIN_THROTTLED_COUNT = 10;
    private static final int MAX_THROTTLED_COUNT = 20;
    private static final byte[] SCAN = ascii("SCAN");
    private static final byte[] COUNT = ascii("COUNT");
    private static final byte[] MATCH = ascii("MATCH");
    private static final byte[] TYPE = ascii("TYPE");

    private final RespConnection connection;
    private final ScanParameters parameters;
    private final byte[] count;

    ScanPages(RespConnection connection, ScanParameters parameters) {
        this.connection = connection;
        this.parameters = parameters;
        int count = parameters.count();
        if (parameters.maxKeysPerSecond() != null) {
            // a rate-limited scan asks for small pages, so its load is spread evenly instead of arriving in bursts
            count = Math.min(count, Math.min(MAX_THROTTLED_COUNT, Math.max(MIN_THROTTLED_COUNT,
                    parameters.maxKeysPerSecond() / THROTTLED_BATCHES_PER_SECOND)));
        }
        this.count = ascii(Integer.toString(count));
    }

    /** Writes a SCAN from the cursor (as Redis sent it back; {@code 0} to start). */
    void write(byte[] cursor) {
        boolean match = !"*".equals(parameters.match());
        connection.begin(4 + (match ? 2 : 0) + (parameters.type() != null ? 2 : 0));
        connection.argument(SCAN);
        connection.argument(cursor);
        connection.argument(COUNT);
        connection.argument(count);
        if (match) {
            connection.argument(MATCH);
            connection.argument(parameters.match().getBytes(StandardCharsets.UTF_8));
        }
        if (parameters.type() != null) {
            connection.argument(TYPE);
            connection.argument(ascii(parameters.type()));
        }
    }

    /** Reads a SCAN reply. */
    Page read() throws IOException {
        int kind = connection.read();
        if (kind == RespConnection.ERROR) {
            String hint = parameters.type() != null ? " (SCAN with TYPE needs Redis 6.0 or later)" : "";
            throw new KeyspaceScanner.ScanFailure("SCAN was refused: " + connection.text() + hint);
        }
        if (kind != RespConnection.ARRAY || connection.integer() != 2 || connection.read() != RespConnection.BULK) {
            throw new IOException("unexpected SCAN reply from Redis");
        }
        byte[] cursor = connection.bulk();
        if (connection.read() != RespConnection.ARRAY) {
            throw new IOException("unexpected SCAN reply from Redis");
        }
        int size = (int) connection.integer();
        List<byte[]> keys = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (connection.read() != RespConnection.BULK) {
                throw new IOException("unexpected SCAN reply from Redis");
            }
            keys.add(connection.bulk());
        }
        return new Page(keys, cursor, Long.parseUnsignedLong(new String(cursor, StandardCharsets.US_ASCII)));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** One SCAN reply: the keys, and the cursor as sent back and as a number. */
    record Page(List<byte[]> keys, byte[] rawCursor, long cursor) {
    }
}
