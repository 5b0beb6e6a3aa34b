package io.memdoctor.scans.engine;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One pass over a keyspace: SCAN with COUNT, and for every key its type, MEMORY USAGE (with SAMPLES), PTTL and
 * element count (STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN), all pipelined, with no round trip per key.
 *
 * <p>How it stays fast. The size command depends on the type, and asking TYPE first costs a round and a fourth
 * command per key, so the type is guessed from the key's pattern (the type last seen for {@code user:*:feed}):
 * a size command that succeeds with a non-zero count proves the type, since Redis answers WRONGTYPE otherwise.
 * Most keys thus need three adjacent commands in one round; a wrong or missing guess costs a TYPE and then the
 * right size command. Commands are encoded straight into the {@link RespConnection}'s buffer, so a round leaves
 * in one socket write, and replies are parsed into plain arrays (no object per command). The next SCAN leaves
 * with the current batch, and several batches are in flight at once: while this thread adds up one batch's
 * replies, Redis works on the next ones. Everything runs on the scanning thread: it writes, reads the replies
 * in order (a batch's later rounds are written as soon as its round is read) and adds batches up in SCAN order.
 *
 * <p>How it stays gentle. With {@code maxKeysPerSecond}, SCAN pages are small (10 to 20 keys), one batch is in
 * flight at a time, and a {@link Throttle} spaces them.
 *
 * <p>Keys that vanish between SCAN and the commands about them (deleted, expired, replaced by another type) are
 * counted as vanished and nowhere else. A server that refuses MEMORY USAGE (ACL, renamed on a managed service) is
 * found before the scan by a probe; the scan then measures everything else. Connection failures and timeouts end
 * the scan as FAILED; what was added up so far stays in the accumulator.
 */
public final class KeyspaceScanner {

    private static final byte[] PROBE_KEY = "memdoctor:memory-usage-probe".getBytes(StandardCharsets.US_ASCII);
    /** MEMORY USAGE's own default; when asked for, the SAMPLES argument is left out (two arguments less to parse). */
    private static final int DEFAULT_SAMPLES = 5;
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
    /** Type guesses kept, by pattern; beyond this, keys of new patterns ask TYPE first. */
    private static final int MAX_GUESSES = 10_000;

    private static final byte PENDING = 0;
    private static final byte MEASURED = 1;
    private static final byte VANISHED = 2;
    private static final byte UNREADABLE = 3;

    /** What a command of a round asks about its key; a round lists {@code key index << 2 | what}. */
    private static final int SIZE = 0;
    private static final int TYPE = 1;
    private static final int BYTES = 2;
    private static final int TTL = 3;

    /** A size reply: none yet (or none to come), a count, WRONGTYPE. */
    private static final byte NO_SIZE = 0;
    private static final byte SIZED = 1;
    private static final byte WRONG_TYPE = 2;
    /** MEMORY USAGE answered nil (no such key), or an error (refused for this key). */
    private static final long NO_KEY = Long.MIN_VALUE;
    private static final long REFUSED = Long.MIN_VALUE + 1;

    private static final byte[] DBSIZE = command("DBSIZE");
    private static final byte[] TYPE_COMMAND = command("TYPE", null);
    private static final byte[] PTTL = command("PTTL", null);
    private static final Map<String, byte[]> SIZE_COMMANDS = Map.of(
            "string", command("STRLEN", null),
            "list", command("LLEN", null),
            "set", command("SCARD", null),
            "zset", command("ZCARD", null),
            "hash", command("HLEN", null),
            "stream", command("XLEN", null));
    /** The replies to a SCAN, in the queue of expected replies. */
    private static final Round SCAN = new Round(null, 0);

    private final RespConnection connection;
    private final ScanParameters parameters;
    private final ScanAccumulator accumulator;
    private final ScanProgress progress;
    private final PatternCollapser collapser;
    private final Duration timeout;
    private final int window;
    /** The rounds (and the SCAN) written and not read yet, in the order their replies will come. */
    private final ArrayDeque<Round> expected = new ArrayDeque<>();
    /** Batches in flight in SCAN order: batches are added up as redis-cli meets keys, so ties go the same way. */
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private final Map<String, String> typeGuesses = new HashMap<>();
    private final byte[] memoryUsagePrefix;
    private final byte[] memoryUsageSuffix;
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
        boolean defaultSamples = parameters.samples() == DEFAULT_SAMPLES;
        this.memoryUsagePrefix = defaultSamples ? command("MEMORY", "USAGE", null)
                : command("MEMORY", "USAGE", null, null, null);
        this.memoryUsageSuffix = defaultSamples ? new byte[0]
                : RespConnection.encode("SAMPLES", Integer.toString(parameters.samples()));
    }

    /** The encoded start of a command; each {@code null} is an argument appended later. */
    private static byte[] command(String... arguments) {
        int fixed = 0;
        while (fixed < arguments.length && arguments[fixed] != null) {
            fixed++;
        }
        byte[] head = ("*" + arguments.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] rest = RespConnection.encode(Arrays.copyOf(arguments, fixed));
        byte[] out = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, out, head.length, rest.length);
        return out;
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
            connection.raw(DBSIZE);
            memoryUsage(PROBE_KEY);
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
            Page page = scanReply();
            drainUntilInFlightBelow(window);
            boolean more = page.cursor != 0 && !stop.getAsBoolean();
            if (more) {
                // the next SCAN leaves in the same write as this batch: no round trip of its own
                writeScan(page.rawCursor);
            }
            if (!page.keys.isEmpty()) {
                beforeMeasuring.accept(page.keys);
                send(new Batch(page.keys, page.cursor, measureBytes));
            }
            // at once, not at the next read that has to wait: replies of earlier rounds may be buffered already,
            // and Redis would sit idle while they are read
            connection.flush();
            if (!more) {
                return page.cursor == 0;
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
            Page page = scanReply();
            boolean more = page.cursor != 0 && !stop.getAsBoolean();
            if (!page.keys.isEmpty()) {
                beforeMeasuring.accept(page.keys);
                send(new Batch(page.keys, page.cursor, measureBytes));
            }
            if (more) {
                writeScan(page.rawCursor);
            }
            connection.flush();
            if (!more) {
                return page.cursor == 0;
            }
            throttle.spend(page.keys.size(), stop);
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
        measureBytes = kind != RespConnection.ERROR;
        if (!measureBytes) {
            accumulator.memoryUsageUnavailable("MEMORY USAGE was refused (" + connection.text()
                    + "): sizes in bytes are missing; types, element counts and TTLs are complete.");
        }
        else if (kind != RespConnection.INTEGER && kind != RespConnection.NIL) {
            throw connection.unexpected(kind);
        }
    }

    private void writeScan(byte[] cursor) {
        int count = parameters.count();
        if (parameters.maxKeysPerSecond() != null) {
            // a rate-limited scan asks for small pages, so its load is spread evenly instead of arriving in bursts
            count = Math.min(count, Math.min(MAX_THROTTLED_COUNT, Math.max(MIN_THROTTLED_COUNT,
                    parameters.maxKeysPerSecond() / THROTTLED_BATCHES_PER_SECOND)));
        }
        boolean match = !"*".equals(parameters.match());
        connection.begin(4 + (match ? 2 : 0) + (parameters.type() != null ? 2 : 0));
        connection.argument(ascii("SCAN"));
        connection.argument(cursor);
        connection.argument(ascii("COUNT"));
        connection.argument(ascii(Integer.toString(count)));
        if (match) {
            connection.argument(ascii("MATCH"));
            connection.argument(parameters.match().getBytes(StandardCharsets.UTF_8));
        }
        if (parameters.type() != null) {
            connection.argument(ascii("TYPE"));
            connection.argument(ascii(parameters.type()));
        }
        expected.add(SCAN);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the replies up to the SCAN's (handling the rounds before it), then the SCAN's. */
    private Page scanReply() throws IOException {
        while (expected.peek() != SCAN) {
            readRound();
        }
        expected.poll();
        int kind = connection.read();
        if (kind == RespConnection.ERROR) {
            String hint = parameters.type() != null ? " (SCAN with TYPE needs Redis 6.0 or later)" : "";
            throw new ScanFailure("SCAN was refused: " + connection.text() + hint);
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

    private void memoryUsage(byte[] key) {
        connection.raw(memoryUsagePrefix);
        connection.argument(key);
        connection.raw(memoryUsageSuffix);
    }

    private void keyCommand(byte[] prefix, byte[] key) {
        connection.raw(prefix);
        connection.argument(key);
    }

    /** Writes the first round of the batch: guessed size or TYPE, then MEMORY USAGE and PTTL. */
    private void send(Batch batch) {
        Round round = new Round(batch, batch.size * 3);
        for (int i = 0; i < batch.size; i++) {
            byte[] key = batch.keys.get(i);
            batch.names[i] = KeyNames.escape(key);
            batch.patterns[i] = collapser.collapse(batch.names[i]);
            String guess = parameters.type() != null ? parameters.type() : typeGuesses.get(batch.patterns[i]);
            byte[] size = guess == null ? null : SIZE_COMMANDS.get(guess);
            if (size != null) {
                batch.sizeType[i] = guess;
                keyCommand(size, key);
                round.add(i, SIZE);
            }
            else {
                keyCommand(TYPE_COMMAND, key);
                round.add(i, TYPE);
            }
            if (batch.bytes != null) {
                memoryUsage(key);
                round.add(i, BYTES);
            }
            keyCommand(PTTL, key);
            round.add(i, TTL);
        }
        expected.add(round);
        inFlight.add(batch);
    }

    /** Reads the replies of the next round, then settles its batch's keys or writes the batch's next round. */
    private void readRound() throws IOException {
        Round round = expected.poll();
        if (round == null || round == SCAN) {
            throw new ScanFailure("a key was left unmeasured");
        }
        Batch batch = round.batch;
        for (int c = 0; c < round.size; c++) {
            int op = round.ops[c];
            store(batch, op >>> 2, op & 3, connection.read());
        }
        Round next = new Round(batch, 0);
        for (int i = 0; i < batch.size; i++) {
            if (batch.state[i] == PENDING) {
                settle(batch, i, next);
            }
        }
        if (next.size > 0) {
            expected.add(next);
            return;
        }
        batch.done = true;
        while (!inFlight.isEmpty() && inFlight.peek().done) {
            addUp(inFlight.poll());
        }
    }

    /** Keeps one reply about key {@code i}. */
    private void store(Batch batch, int i, int what, int kind) throws IOException {
        if (kind == RespConnection.ERROR) {
            switch (what) {
                case SIZE -> {
                    if (connection.text().startsWith("WRONGTYPE")) {
                        batch.sizeReply[i] = WRONG_TYPE;
                    }
                    else {
                        batch.state[i] = UNREADABLE;
                    }
                }
                case TYPE -> batch.state[i] = UNREADABLE;
                // refused for this key only (an ACL key pattern): its other figures still count
                case BYTES -> batch.bytes[i] = REFUSED;
                default -> batch.ttlRefused[i] = true;
            }
        }
        else if (kind == (what == TYPE ? RespConnection.STATUS : RespConnection.INTEGER)) {
            switch (what) {
                case SIZE -> {
                    batch.sizes[i] = connection.integer();
                    batch.sizeReply[i] = SIZED;
                }
                case TYPE -> batch.typeReply[i] = connection.text();
                case BYTES -> batch.bytes[i] = connection.integer();
                default -> batch.ttls[i] = connection.integer();
            }
        }
        else if (what == BYTES && kind == RespConnection.NIL) {
            // MEMORY USAGE answers nil for a key that does not exist
            batch.bytes[i] = NO_KEY;
        }
        else {
            throw connection.unexpected(kind);
        }
    }

    /**
     * Moves key {@code i} on from the replies it has: measured, vanished, or the next command written into
     * {@code next} (TYPE after a wrong guess, the size command once the type is known).
     */
    private void settle(Batch batch, int i, Round next) {
        byte[] key = batch.keys.get(i);
        String reportedType = batch.typeReply[i];
        if (batch.type[i] == null && reportedType != null) {
            batch.typeReply[i] = null;
            if ("none".equals(reportedType)) {
                batch.state[i] = VANISHED;
                return;
            }
            batch.type[i] = reportedType;
            batch.sizeType[i] = reportedType;
            byte[] size = SIZE_COMMANDS.get(reportedType);
            if (size == null) {
                // module types have no size command
                batch.state[i] = MEASURED;
                return;
            }
            keyCommand(size, key);
            next.add(i, SIZE);
            return;
        }
        if (batch.sizeReply[i] == WRONG_TYPE) {
            batch.sizeReply[i] = NO_SIZE;
            if (batch.type[i] != null) {
                // TYPE said one thing and the size command met another: replaced between the two
                batch.state[i] = VANISHED;
                return;
            }
            keyCommand(TYPE_COMMAND, key);
            next.add(i, TYPE);
            return;
        }
        String type = batch.sizeType[i];
        if (batch.sizes[i] == 0 && !"string".equals(type) && !"stream".equals(type)) {
            // Redis deletes empty collections, so a count of zero means the key is gone
            batch.state[i] = VANISHED;
            return;
        }
        batch.type[i] = type;
        batch.state[i] = MEASURED;
    }

    private void drainUntilInFlightBelow(int limit) throws IOException {
        while (inFlight.size() >= limit && !inFlight.isEmpty()) {
            readRound();
        }
    }

    /** Adds a finished batch up. */
    private void addUp(Batch batch) {
        for (int i = 0; i < batch.size; i++) {
            switch (batch.state[i]) {
                case MEASURED -> measured(batch, i);
                case VANISHED -> accumulator.vanished();
                case UNREADABLE -> accumulator.unreadable();
                default -> throw new ScanFailure("a key was left unmeasured");
            }
        }
        progress.scanned(batch.size, batch.cursor);
    }

    private void measured(Batch batch, int i) {
        if (batch.ttlRefused[i]) {
            accumulator.unreadable();
            return;
        }
        long ttl = batch.ttls[i];
        if (ttl == -2) {
            // PTTL -2: no such key (an empty string or stream that was deleted meanwhile)
            accumulator.vanished();
            return;
        }
        long bytes = ScanAccumulator.UNKNOWN;
        if (batch.bytes != null) {
            if (batch.bytes[i] == NO_KEY) {
                accumulator.vanished();
                return;
            }
            bytes = batch.bytes[i] == REFUSED ? ScanAccumulator.UNKNOWN : batch.bytes[i];
        }
        long elements = batch.sizeReply[i] == SIZED ? batch.sizes[i] : ScanAccumulator.UNKNOWN;
        String type = batch.type[i];
        accumulator.add(batch.names[i], batch.patterns[i], type, bytes, elements, ttl);
        boolean guessable = ScanParameters.TYPES.contains(type);
        if (guessable && (typeGuesses.size() < MAX_GUESSES || typeGuesses.containsKey(batch.patterns[i]))) {
            typeGuesses.put(batch.patterns[i], type);
        }
    }

    private ScanFailure failure(Throwable cause) {
        if (cause instanceof ScanFailure failure) {
            return failure;
        }
        if (cause instanceof SocketTimeoutException) {
            return new ScanFailure("Redis did not answer within " + timeout.toSeconds() + " s");
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ScanFailure("Lost Redis during the scan: " + message);
    }

    /** One SCAN reply: the keys, and the cursor as sent back and as a number. */
    private record Page(List<byte[]> keys, byte[] rawCursor, long cursor) {
    }

    /** Commands written together, in order: per command, {@code key index << 2 | what it asks}. */
    private static final class Round {

        final Batch batch;
        int[] ops;
        int size;

        Round(Batch batch, int capacity) {
            this.batch = batch;
            this.ops = new int[capacity];
        }

        void add(int key, int what) {
            if (size == ops.length) {
                ops = Arrays.copyOf(ops, Math.max(8, size * 2));
            }
            ops[size++] = key << 2 | what;
        }
    }

    /** One SCAN page and, per key, the replies about it and how far it got. */
    private static final class Batch {

        final List<byte[]> keys;
        final int size;
        final long cursor;
        final String[] names;
        final String[] patterns;
        /** The confirmed type (by TYPE, or by a size command that succeeded). */
        final String[] type;
        /** The type the size command was sent for. */
        final String[] sizeType;
        final byte[] state;
        /** TYPE's answer, until it is acted on. */
        final String[] typeReply;
        final byte[] sizeReply;
        final long[] sizes;
        /** MEMORY USAGE, {@link #NO_KEY} or {@link #REFUSED}; {@code null} when not measured. */
        final long[] bytes;
        final long[] ttls;
        final boolean[] ttlRefused;
        boolean done;

        Batch(List<byte[]> keys, long cursor, boolean measureBytes) {
            this.keys = keys;
            this.size = keys.size();
            this.cursor = cursor;
            this.names = new String[size];
            this.patterns = new String[size];
            this.type = new String[size];
            this.sizeType = new String[size];
            this.state = new byte[size];
            this.typeReply = new String[size];
            this.sizeReply = new byte[size];
            this.sizes = new long[size];
            this.bytes = measureBytes ? new long[size] : null;
            this.ttls = new long[size];
            this.ttlRefused = new boolean[size];
        }
    }

    /** Ends the scan as FAILED with a message fit to show. */
    private static final class ScanFailure extends RuntimeException {

        ScanFailure(String message) {
            super(message, null, false, false);
        }
    }
}
