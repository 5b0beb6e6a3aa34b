package io.memdoctor.scans.engine;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.memdoctor.redis.resp.ReplyRejected;
import io.memdoctor.redis.resp.RespConnection;

/**
 * One pass over a keyspace: SCAN with COUNT, and for every key its type, MEMORY USAGE (with SAMPLES), PTTL and
 * element count (STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN), all pipelined, with no round trip per key.
 *
 * <p>How it stays fast. The size command depends on the type, which is guessed from the key's pattern (the type
 * last seen for {@code user:*:feed}; see {@link ScanBatch}), so most keys need three adjacent commands in one
 * round. This class is the pipeline loop; {@link ScanBatch} keeps the per-key state. Commands are encoded
 * straight into the {@link RespConnection}'s buffer, so a round leaves in one socket write, and replies are parsed
 * into plain arrays (no object per command). The next SCAN leaves
 * with the current batch, and several batches are in flight at once: while this thread adds up one batch's
 * replies, Redis works on the next ones. Everything runs on the scanning thread: it writes, reads the replies
 * in order (a batch's later rounds are written as soon as its round is read) and adds batches up in SCAN order.
 *
 * <p>How it stays gentle. With {@code maxKeysPerSecond}, SCAN pages are small (10 to 20 keys), one batch is in
 * flight at a time, and a {@link Throttle} spaces them.
 *
 * <p>Keys that vanish between SCAN and the commands about them (deleted, expired, replaced by another type) are
 * counted as vanished and nowhere else. A server that refuses MEMORY USAGE (ACL, renamed on a managed service) is
 * found before the scan by a probe; the scan then measures everything else. Connection failures, timeouts and
 * replies over the limits end the scan as FAILED; what was added up so far stays in the accumulator.
 */
public final class KeyspaceScanner {

    private static final byte[] PROBE_KEY = "memdoctor:memory-usage-probe".getBytes(StandardCharsets.US_ASCII);
    /** Type guesses kept, by pattern; beyond this, keys of new patterns ask TYPE first. */
    private static final int MAX_GUESSES = 10_000;

    /**
     * Key name bytes in flight at most, without a rate limit: pages of long names wait for earlier ones to be
     * added up, so memory stays bounded whatever the names' length.
     */
    private static final long MAX_KEY_BYTES_IN_FLIGHT = 32L << 20;

    /** The replies to a SCAN, in the queue of expected replies. */
    private static final ScanBatch.Round SCAN = new ScanBatch.Round(null, 0);

    private final RespConnection connection;
    private final ScanParameters parameters;
    private final ScanAccumulator accumulator;
    private final ScanProgress progress;
    private final PatternCollapser collapser;
    private final Duration timeout;
    private final int window;
    /** The rounds (and the SCAN) written and not read yet, in the order their replies will come. */
    private final ArrayDeque<ScanBatch.Round> expected = new ArrayDeque<>();
    /** Batches in flight in SCAN order: batches are added up as redis-cli meets keys, so ties go the same way. */
    private final ArrayDeque<ScanBatch> inFlight = new ArrayDeque<>();
    private long keyBytesInFlight;
    private final Map<String, String> typeGuesses = new HashMap<>();
    private final KeyCommands commands;
    private final ScanPages pages;
    private boolean measureBytes;
    private Consumer<List<byte[]>> beforeMeasuring = keys -> {
    };

    /**
     * @param connection a dedicated connection, left open
     * @param parameters what to scan
     * @param accumulator where measured keys are added up
     * @param progress where progress is reported
     * @param timeout how long to wait for any reply (or for Redis to take a write) before the scan fails
     * @param batchesInFlight how many batches may be in flight at once without a rate limit
     */
    public KeyspaceScanner(RespConnection connection, ScanParameters parameters, ScanAccumulator accumulator,
            ScanProgress progress, Duration timeout, int batchesInFlight) {
        this.connection = connection;
        this.parameters = parameters;
        this.accumulator = accumulator;
        this.progress = progress;
        this.collapser = new PatternCollapser(parameters.delimiters());
        this.timeout = timeout;
        this.window = Math.max(1, batchesInFlight);
        this.commands = new KeyCommands(connection, parameters.samples());
        this.pages = new ScanPages(connection, parameters);
    }

    /** For tests: runs between a SCAN reply and the commands about its keys, to change the keys meanwhile. */
    void beforeMeasuring(Consumer<List<byte[]>> hook) {
        this.beforeMeasuring = hook;
    }

    /**
     * Scans until the end of the keyspace, until {@code stop} says so, or until Redis fails.
     *
     * @param stop polled between batches; when true, the batches in flight are finished and the scan ends
     */
    public ScanOutcome run(BooleanSupplier stop) {
        try {
            connection.timeout(timeout);
            connection.raw(KeyCommands.DBSIZE);
            commands.memoryUsage(PROBE_KEY);
            progress.started(dbsize());
            probeMemoryUsage();

            boolean reachedEnd = parameters.maxKeysPerSecond() == null ? pipelined(stop)
                    : throttled(new Throttle(parameters.maxKeysPerSecond()), stop);
            drainUntilInFlightBelow(1);
            progress.finished();
            return new ScanOutcome(reachedEnd ? ScanStatus.DONE : ScanStatus.CANCELLED, null);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            progress.finished();
            return new ScanOutcome(ScanStatus.CANCELLED, null);
        }
        catch (IOException | RuntimeException ex) {
            progress.finished();
            return new ScanOutcome(ScanStatus.FAILED, failure(ex).getMessage());
        }
    }

    /** Without a rate limit: several batches in flight, each next SCAN leaving with the batch before it. */
    private boolean pipelined(BooleanSupplier stop) throws IOException {
        writeScan(new byte[] {'0'});
        while (true) {
            ScanPages.Page page = scanReply();
            drainUntilInFlightBelow(window);
            boolean more = page.cursor() != 0 && !stop.getAsBoolean();
            if (more) {
                // the next SCAN leaves in the same write as this batch: no round trip of its own
                writeScan(page.rawCursor());
            }
            if (!page.keys().isEmpty()) {
                beforeMeasuring.accept(page.keys());
                send(new ScanBatch(page.keys(), page.cursor(), measureBytes));
            }
            // at once, not at the next read that has to wait: replies of earlier rounds may be buffered already,
            // and Redis would sit idle while they are read
            connection.flush();
            if (!more) {
                return page.cursor() == 0;
            }
        }
    }

    /**
     * With a rate limit: one small batch at a time, written with the next SCAN, then the wait the batch takes up
     * at the rate. Waiting after the write rather than before it lets Redis answer meanwhile, so the next read
     * finds the replies there instead of blocking: the thread wakes once per batch, not twice. On a host shared
     * with Redis and its clients every wake-up takes a core from them for a moment (docs/benchmarks/scan.md).
     */
    private boolean throttled(Throttle throttle, BooleanSupplier stop) throws IOException, InterruptedException {
        writeScan(new byte[] {'0'});
        connection.flush();
        while (true) {
            ScanPages.Page page = scanReply();
            boolean more = page.cursor() != 0 && !stop.getAsBoolean();
            if (!page.keys().isEmpty()) {
                beforeMeasuring.accept(page.keys());
                send(new ScanBatch(page.keys(), page.cursor(), measureBytes));
            }
            if (more) {
                writeScan(page.rawCursor());
            }
            connection.flush();
            if (!more) {
                return page.cursor() == 0;
            }
            throttle.spend(page.keys().size(), stop);
        }
    }

    private long dbsize() throws IOException {
        int kind = connection.read();
        if (kind == RespConnection.INTEGER) {
            return connection.integer();
        }
        if (kind == RespConnection.ERROR) {
            return -1;
        }
        throw connection.unexpected(kind);
    }

    private void probeMemoryUsage() throws IOException {
        int kind = connection.read();
        // a cluster node redirects the probe key when its slot is another shard's: the command itself is there
        measureBytes = kind != RespConnection.ERROR || connection.text().startsWith("MOVED ")
                || connection.text().startsWith("ASK ");
        if (!measureBytes) {
            accumulator.memoryUsageUnavailable("MEMORY USAGE was refused (" + connection.text()
                    + "): sizes in bytes are missing; types, element counts and TTLs are complete.");
        }
        else if (kind != RespConnection.INTEGER && kind != RespConnection.NIL && kind != RespConnection.ERROR) {
            throw connection.unexpected(kind);
        }
    }

    private void writeScan(byte[] cursor) {
        pages.write(cursor);
        expected.add(SCAN);
    }

    /** Reads the replies up to the SCAN's (handling the rounds before it), then the SCAN's. */
    private ScanPages.Page scanReply() throws IOException {
        while (expected.peek() != SCAN) {
            readRound();
        }
        expected.poll();
        return pages.read();
    }

    /** Writes the first round of the batch. */
    private void send(ScanBatch batch) {
        expected.add(batch.first(commands, collapser, typeGuesses, parameters.type()));
        inFlight.add(batch);
        keyBytesInFlight += batch.keyBytes;
    }

    /** Reads the replies of the next round, then writes the batch's next round or adds up finished batches. */
    private void readRound() throws IOException {
        ScanBatch.Round round = expected.poll();
        if (round == null || round == SCAN) {
            throw new ScanFailure("a key was left unmeasured");
        }
        ScanBatch.Round next = round.batch.read(round, connection, commands);
        if (next != null) {
            expected.add(next);
            return;
        }
        while (!inFlight.isEmpty() && inFlight.peek().done) {
            ScanBatch batch = inFlight.poll();
            keyBytesInFlight -= batch.keyBytes;
            if (!batch.addUp(accumulator, typeGuesses, MAX_GUESSES)) {
                throw new ScanFailure("a key was left unmeasured");
            }
            progress.scanned(batch.size, batch.cursor);
        }
    }

    private void drainUntilInFlightBelow(int limit) throws IOException {
        while (!inFlight.isEmpty() && (inFlight.size() >= limit || keyBytesInFlight > MAX_KEY_BYTES_IN_FLIGHT)) {
            readRound();
        }
    }

    private ScanFailure failure(Throwable cause) {
        if (cause instanceof ScanFailure failure) {
            return failure;
        }
        if (cause instanceof SocketTimeoutException) {
            return new ScanFailure("Redis did not answer within " + (timeout.toMillis() % 1000 == 0
                    ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms"));
        }
        if (cause instanceof ReplyRejected) {
            return new ScanFailure("The scan stopped: " + cause.getMessage());
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ScanFailure("Lost Redis during the scan: " + message);
    }

    /** Ends the scan as FAILED with a message fit to show. */
    static final class ScanFailure extends RuntimeException {

        ScanFailure(String message) {
            super(message, null, false, false);
        }
    }
}
