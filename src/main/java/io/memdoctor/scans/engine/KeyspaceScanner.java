package io.memdoctor.scans.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;

/**
 * One pass over a keyspace: SCAN with COUNT, and for every key its type, MEMORY USAGE (with SAMPLES), PTTL and
 * element count (STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN), all pipelined, with no round trip per key.
 *
 * <p>How it stays fast. The size command depends on the type, and asking TYPE first costs a round and a fourth
 * command per key, so the type is guessed from the key's pattern (the type last seen for {@code user:*:feed}):
 * a size command that succeeds with a non-zero count proves the type, since Redis answers WRONGTYPE otherwise.
 * Most keys thus need three adjacent commands in one round; a wrong or missing guess costs a TYPE and then the
 * right size command. Each round of a batch is handed to Lettuce as one collection (one pass through its write
 * path instead of one per command) with auto-flush off, and flushed once; the next SCAN leaves with the current
 * batch, and several batches are in flight at once. Later rounds are written from Lettuce's
 * event loop as soon as a round's replies are in (replies arrive in order, so the last one means all); finished
 * batches are queued and added up on the scanning thread, the only one that touches the {@link ScanAccumulator}.
 *
 * <p>How it stays gentle. With {@code maxKeysPerSecond}, SCAN pages are small (10 to 50 keys), one batch is in
 * flight at a time, and a {@link Throttle} spaces them.
 *
 * <p>Keys that vanish between SCAN and the commands about them (deleted, expired, replaced by another type) are
 * counted as vanished and nowhere else. A server that refuses MEMORY USAGE (ACL, renamed on a managed service) is
 * found before the scan by a probe; the scan then measures everything else. Connection failures and timeouts end
 * the scan as FAILED; what was added up so far stays in the accumulator.
 */
public final class KeyspaceScanner {

    private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;
    private static final byte[] USAGE = "USAGE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SAMPLES = "SAMPLES".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROBE_KEY = "memdoctor:memory-usage-probe".getBytes(StandardCharsets.US_ASCII);
    /**
     * A rate-limited scan sends small batches often: a five-hundredth of a second's worth of keys, at most 50 keys
     * (150 commands, well under the 16 KB Redis reads from a client at a time), so other clients never wait behind
     * a long stretch of scan commands.
     */
    private static final int THROTTLED_BATCHES_PER_SECOND = 500;
    private static final int MIN_THROTTLED_COUNT = 10;
    private static final int MAX_THROTTLED_COUNT = 50;
    /** Type guesses kept, by pattern; beyond this, keys of new patterns ask TYPE first. */
    private static final int MAX_GUESSES = 10_000;

    private static final byte PENDING = 0;
    private static final byte MEASURED = 1;
    private static final byte VANISHED = 2;
    private static final byte UNREADABLE = 3;

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ScanParameters parameters;
    private final ScanAccumulator accumulator;
    private final ScanProgress progress;
    private final PatternCollapser collapser;
    private final Duration timeout;
    private final int window;
    private final BlockingQueue<Batch> completed = new LinkedBlockingQueue<>();
    /** Finished batches waiting for an earlier one: batches are added up in SCAN order, as redis-cli meets keys. */
    private final Map<Long, Batch> finishedEarly = new HashMap<>();
    private long batchesSent;
    private long batchesAddedUp;
    private final Map<String, String> typeGuesses = new HashMap<>();
    private final byte[] samples;
    private boolean measureBytes;
    private int inFlight;
    private Consumer<List<byte[]>> beforeMeasuring = keys -> {
    };

    /**
     * @param connection a dedicated connection; the scanner switches its auto-flush off while it runs
     * @param parameters what to scan
     * @param accumulator where measured keys are added up
     * @param progress where progress is reported
     * @param timeout how long to wait for any reply before the scan fails
     * @param batchesInFlight how many batches may be in flight at once without a rate limit
     */
    public KeyspaceScanner(StatefulRedisConnection<byte[], byte[]> connection, ScanParameters parameters,
            ScanAccumulator accumulator, ScanProgress progress, Duration timeout, int batchesInFlight) {
        this.connection = connection;
        this.redis = connection.async();
        this.parameters = parameters;
        this.accumulator = accumulator;
        this.progress = progress;
        this.collapser = new PatternCollapser(parameters.delimiters());
        this.timeout = timeout;
        this.window = parameters.maxKeysPerSecond() == null ? Math.max(1, batchesInFlight) : 1;
        this.samples = Integer.toString(parameters.samples()).getBytes(StandardCharsets.US_ASCII);
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
        Throttle throttle = new Throttle(parameters.maxKeysPerSecond());
        connection.setAutoFlushCommands(false);
        try {
            RedisFuture<Long> dbsize = redis.dbsize();
            RedisFuture<Long> probe = memoryUsage(PROBE_KEY);
            connection.flushCommands();
            progress.started(valueOr(dbsize, -1L));
            probeMemoryUsage(probe);

            KeyScanArgs args = scanArgs();
            RedisFuture<KeyScanCursor<byte[]>> next = redis.scan(args);
            connection.flushCommands();
            boolean reachedEnd = false;
            while (next != null) {
                KeyScanCursor<byte[]> page = scanReply(next);
                reachedEnd = page.isFinished();
                next = null;
                List<byte[]> keys = page.getKeys();
                throttle.acquire(keys.size(), stop);
                drainUntilInFlightBelow(window);
                if (!page.isFinished() && !stop.getAsBoolean()) {
                    // the next SCAN leaves in the same flush as this batch: no round trip of its own
                    next = redis.scan(page, args);
                }
                if (!keys.isEmpty()) {
                    beforeMeasuring.accept(keys);
                    send(new Batch(keys, Long.parseUnsignedLong(page.getCursor())));
                }
                connection.flushCommands();
                drainReady();
            }
            drainUntilInFlightBelow(1);
            progress.finished();
            return new ScanOutcome(reachedEnd ? ScanStatus.DONE : ScanStatus.CANCELLED, null);
        }
        catch (ScanFailure failure) {
            progress.finished();
            return new ScanOutcome(ScanStatus.FAILED, failure.getMessage());
        }
        catch (RuntimeException ex) {
            // the driver refusing a write on a closed connection, say: still a failed scan, not a crash
            progress.finished();
            return new ScanOutcome(ScanStatus.FAILED, failure(ex).getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            progress.finished();
            return new ScanOutcome(ScanStatus.CANCELLED, null);
        }
        finally {
            if (connection.isOpen()) {
                connection.setAutoFlushCommands(true);
            }
        }
    }

    private KeyScanArgs scanArgs() {
        int count = parameters.count();
        if (parameters.maxKeysPerSecond() != null) {
            // a rate-limited scan asks for small pages, so its load is spread evenly instead of arriving in bursts
            count = Math.min(count, Math.min(MAX_THROTTLED_COUNT, Math.max(MIN_THROTTLED_COUNT,
                    parameters.maxKeysPerSecond() / THROTTLED_BATCHES_PER_SECOND)));
        }
        KeyScanArgs args = new KeyScanArgs();
        args.limit(count);
        if (!"*".equals(parameters.match())) {
            args.match(parameters.match().getBytes(StandardCharsets.UTF_8));
        }
        if (parameters.type() != null) {
            args.type(parameters.type());
        }
        return args;
    }

    private void probeMemoryUsage(RedisFuture<Long> probe) {
        try {
            await(probe);
            measureBytes = true;
        }
        catch (RedisCommandExecutionException ex) {
            measureBytes = false;
            accumulator.memoryUsageUnavailable("MEMORY USAGE was refused (" + ex.getMessage()
                    + "): sizes in bytes are missing; types, element counts and TTLs are complete.");
        }
    }

    private KeyScanCursor<byte[]> scanReply(RedisFuture<KeyScanCursor<byte[]>> future) {
        try {
            return await(future);
        }
        catch (RedisCommandExecutionException ex) {
            String hint = parameters.type() != null ? " (SCAN with TYPE needs Redis 6.0 or later)" : "";
            throw new ScanFailure("SCAN was refused: " + ex.getMessage() + hint);
        }
    }

    private RedisFuture<Long> memoryUsage(byte[] key) {
        return redis.dispatch(CommandType.MEMORY, new IntegerOutput<>(CODEC), memoryUsageArgs(key));
    }

    private CommandArgs<byte[], byte[]> memoryUsageArgs(byte[] key) {
        return new CommandArgs<>(CODEC).add(USAGE).addKey(key).add(SAMPLES).add(samples);
    }

    private static AsyncCommand<byte[], byte[], Long> integer(CommandType type, CommandArgs<byte[], byte[]> args) {
        return new AsyncCommand<>(new Command<>(type, new IntegerOutput<>(CODEC), args));
    }

    private static AsyncCommand<byte[], byte[], Long> integer(CommandType type, byte[] key) {
        return integer(type, new CommandArgs<>(CODEC).addKey(key));
    }

    private static AsyncCommand<byte[], byte[], String> typeCommand(byte[] key) {
        return new AsyncCommand<>(new Command<>(CommandType.TYPE, new StatusOutput<>(CODEC),
                new CommandArgs<>(CODEC).addKey(key)));
    }

    /** Writes the first round of the batch (not flushed): guessed size or TYPE, then MEMORY USAGE and PTTL. */
    private void send(Batch batch) {
        List<RedisCommand<byte[], byte[], ?>> round = new ArrayList<>(batch.size * 3);
        for (int i = 0; i < batch.size; i++) {
            byte[] key = batch.keys.get(i);
            batch.names[i] = KeyNames.escape(key);
            batch.patterns[i] = collapser.collapse(batch.names[i]);
            String guess = parameters.type() != null ? parameters.type() : typeGuesses.get(batch.patterns[i]);
            if (guess != null) {
                batch.sizeType[i] = guess;
                batch.sizes[i] = add(round, sizeCommand(guess, key));
            }
            else {
                batch.typeReplies[i] = add(round, typeCommand(key));
            }
            if (batch.bytes != null) {
                batch.bytes[i] = add(round, integer(CommandType.MEMORY, memoryUsageArgs(key)));
            }
            batch.ttls[i] = add(round, integer(CommandType.PTTL, key));
        }
        connection.dispatch(round);
        inFlight++;
        whenAllDone(batch.ttls[batch.size - 1], () -> nextRound(batch), batch.sizes, batch.typeReplies,
                batch.bytes, batch.ttls);
    }

    /**
     * Runs on Lettuce's event loop when a round's replies are in: settles every key it can and writes the next
     * command for the others (TYPE after a wrong guess, the size command once the type is known).
     */
    private void nextRound(Batch batch) {
        try {
            List<RedisCommand<byte[], byte[], ?>> round = new ArrayList<>();
            RedisFuture<?> last = null;
            for (int i = 0; i < batch.size; i++) {
                if (batch.state[i] == PENDING) {
                    AsyncCommand<byte[], byte[], ?> sent = settle(batch, i);
                    if (sent != null) {
                        round.add(sent);
                        last = sent;
                    }
                }
            }
            if (last == null) {
                completed.add(batch);
                return;
            }
            connection.dispatch(round);
            connection.flushCommands();
            whenAllDone(last, () -> nextRound(batch), batch.sizes, batch.typeReplies);
        }
        catch (RuntimeException ex) {
            batch.failure = ex;
            completed.add(batch);
        }
    }

    /** Moves key {@code i} on from the replies it has; returns the command to send next, if any. */
    private AsyncCommand<byte[], byte[], ?> settle(Batch batch, int i) {
        byte[] key = batch.keys.get(i);
        if (batch.type[i] == null && batch.typeReplies[i] != null) {
            String type = reply(batch.typeReplies[i], batch, i);
            if (type == null) {
                return null;
            }
            if ("none".equals(type)) {
                batch.state[i] = VANISHED;
                return null;
            }
            batch.type[i] = type;
            batch.sizeType[i] = type;
            AsyncCommand<byte[], byte[], Long> size = sizeCommand(type, key);
            batch.sizes[i] = size;
            if (size == null) {
                // module types have no size command
                batch.state[i] = MEASURED;
            }
            return size;
        }
        Long size;
        try {
            size = reply(batch.sizes[i], batch, i);
        }
        catch (RedisCommandExecutionException wrongType) {
            if (batch.type[i] != null) {
                // TYPE said one thing and the size command met another: replaced between the two
                batch.state[i] = VANISHED;
                return null;
            }
            batch.sizes[i] = null;
            AsyncCommand<byte[], byte[], String> type = typeCommand(key);
            batch.typeReplies[i] = type;
            return type;
        }
        if (size == null) {
            return null;
        }
        String type = batch.sizeType[i];
        if (size == 0 && !"string".equals(type) && !"stream".equals(type)) {
            // Redis deletes empty collections, so a count of zero means the key is gone
            batch.state[i] = VANISHED;
            return null;
        }
        batch.type[i] = type;
        batch.state[i] = MEASURED;
        return null;
    }

    /**
     * The reply of a command about key {@code i}: its value; {@code null} after marking the key unreadable
     * (ACL) or the batch failed (connection); WRONGTYPE is thrown, for the caller to handle.
     */
    private static <T> T reply(RedisFuture<T> future, Batch batch, int i) {
        CompletableFuture<T> reply = future.toCompletableFuture();
        try {
            return reply.getNow(null);
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RedisCommandExecutionException error) {
                if (error.getMessage() != null && error.getMessage().startsWith("WRONGTYPE")) {
                    throw error;
                }
                batch.state[i] = UNREADABLE;
                return null;
            }
            batch.failure = ex.getCause() == null ? ex : ex.getCause();
            batch.state[i] = UNREADABLE;
            return null;
        }
        catch (CancellationException ex) {
            batch.failure = ex;
            batch.state[i] = UNREADABLE;
            return null;
        }
    }

    private static AsyncCommand<byte[], byte[], Long> sizeCommand(String type, byte[] key) {
        CommandType command = switch (type) {
            case "string" -> CommandType.STRLEN;
            case "list" -> CommandType.LLEN;
            case "set" -> CommandType.SCARD;
            case "zset" -> CommandType.ZCARD;
            case "hash" -> CommandType.HLEN;
            case "stream" -> CommandType.XLEN;
            default -> null;
        };
        return command == null ? null : integer(command, key);
    }

    private static <T> AsyncCommand<byte[], byte[], T> add(List<RedisCommand<byte[], byte[], ?>> round,
            AsyncCommand<byte[], byte[], T> command) {
        round.add(command);
        return command;
    }

    /**
     * Runs {@code action} once every future of the groups is done. Replies complete in order, so that is when the
     * last one is done; only a timeout (which completes a command out of order) needs the slower wait for all.
     */
    private static void whenAllDone(RedisFuture<?> last, Runnable action, RedisFuture<?>[]... groups) {
        last.whenComplete((value, error) -> {
            List<CompletableFuture<?>> pending = null;
            for (RedisFuture<?>[] group : groups) {
                if (group == null) {
                    continue;
                }
                for (RedisFuture<?> future : group) {
                    if (future != null && !future.isDone()) {
                        pending = pending == null ? new ArrayList<>() : pending;
                        pending.add(future.toCompletableFuture());
                    }
                }
            }
            if (pending == null) {
                action.run();
            }
            else {
                CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
                        .whenComplete((v, e) -> action.run());
            }
        });
    }

    private void drainReady() {
        Batch batch;
        while ((batch = completed.poll()) != null) {
            finished(batch);
        }
    }

    private void drainUntilInFlightBelow(int limit) throws InterruptedException {
        drainReady();
        while (inFlight >= limit && inFlight > 0) {
            Batch batch = completed.poll(waitMillis(), TimeUnit.MILLISECONDS);
            if (batch == null) {
                throw new ScanFailure("Redis did not answer within " + timeout.toSeconds() + " s");
            }
            finished(batch);
        }
    }

    /** Adds up a finished batch and any later ones that were waiting for it. */
    private void finished(Batch batch) {
        if (batch.failure != null) {
            throw failure(batch.failure);
        }
        finishedEarly.put(batch.sequence, batch);
        Batch next;
        while ((next = finishedEarly.remove(batchesAddedUp)) != null) {
            batchesAddedUp++;
            inFlight--;
            addUp(next);
        }
    }

    /** Adds a finished batch up, on the scanning thread. */
    private void addUp(Batch batch) {
        if (batch.failure != null) {
            throw failure(batch.failure);
        }
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
        CompletableFuture<Long> ttlReply = batch.ttls[i].toCompletableFuture();
        Throwable error = errorOf(ttlReply);
        if (error instanceof RedisCommandExecutionException) {
            accumulator.unreadable();
            return;
        }
        if (error != null) {
            throw failure(error);
        }
        Long ttl = ttlReply.getNow(null);
        if (ttl == null || ttl == -2) {
            // PTTL -2: no such key (an empty string or stream that was deleted meanwhile)
            accumulator.vanished();
            return;
        }
        long bytes = ScanAccumulator.UNKNOWN;
        if (batch.bytes != null) {
            CompletableFuture<Long> usage = batch.bytes[i].toCompletableFuture();
            Throwable usageError = errorOf(usage);
            if (usageError != null && !(usageError instanceof RedisCommandExecutionException)) {
                throw failure(usageError);
            }
            if (usageError == null) {
                Long value = usage.getNow(null);
                if (value == null) {
                    // MEMORY USAGE answers nil for a key that does not exist
                    accumulator.vanished();
                    return;
                }
                bytes = value;
            }
            // refused for this key only (an ACL key pattern): its other figures still count
        }
        long elements = ScanAccumulator.UNKNOWN;
        if (batch.sizes[i] != null) {
            Long size = batch.sizes[i].toCompletableFuture().getNow(null);
            elements = size == null ? ScanAccumulator.UNKNOWN : size;
        }
        String type = batch.type[i];
        accumulator.add(batch.names[i], batch.patterns[i], type, bytes, elements, ttl);
        boolean guessable = ScanParameters.TYPES.contains(type);
        if (guessable && (typeGuesses.size() < MAX_GUESSES || typeGuesses.containsKey(batch.patterns[i]))) {
            typeGuesses.put(batch.patterns[i], type);
        }
    }

    /** The error a completed future ended with, or {@code null}. */
    private static Throwable errorOf(CompletableFuture<?> future) {
        try {
            future.getNow(null);
            return null;
        }
        catch (CompletionException ex) {
            return ex.getCause() == null ? ex : ex.getCause();
        }
        catch (CancellationException ex) {
            return ex;
        }
    }

    private <T> T valueOr(RedisFuture<T> future, T fallback) {
        try {
            return await(future);
        }
        catch (RedisCommandExecutionException ex) {
            return fallback;
        }
    }

    private <T> T await(RedisFuture<T> future) {
        try {
            return future.get(waitMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof RedisCommandExecutionException commandError) {
                throw commandError;
            }
            throw failure(ex.getCause() == null ? ex : ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new ScanFailure("Redis did not answer within " + timeout.toSeconds() + " s");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ScanFailure("interrupted");
        }
        catch (CancellationException ex) {
            throw failure(ex);
        }
    }

    private long waitMillis() {
        // Lettuce's own command timeout, if any, fires first; this guards against a reply that never comes
        return timeout.toMillis();
    }

    private static ScanFailure failure(Throwable cause) {
        if (cause instanceof ScanFailure failure) {
            return failure;
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ScanFailure("Lost Redis during the scan: " + message);
    }

    /** One SCAN page and, per key, the replies about it and how far it got. */
    private final class Batch {

        final List<byte[]> keys;
        final int size;
        final long cursor;
        final long sequence = batchesSent++;
        final String[] names;
        final String[] patterns;
        /** The confirmed type (by TYPE, or by a size command that succeeded). */
        final String[] type;
        /** The type the size command in {@link #sizes} was sent for. */
        final String[] sizeType;
        final byte[] state;
        final RedisFuture<String>[] typeReplies;
        final RedisFuture<Long>[] sizes;
        final RedisFuture<Long>[] bytes;
        final RedisFuture<Long>[] ttls;
        volatile Throwable failure;

        @SuppressWarnings("unchecked")
        Batch(List<byte[]> keys, long cursor) {
            this.keys = keys;
            this.size = keys.size();
            this.cursor = cursor;
            this.names = new String[size];
            this.patterns = new String[size];
            this.type = new String[size];
            this.sizeType = new String[size];
            this.state = new byte[size];
            this.typeReplies = new RedisFuture[size];
            this.sizes = new RedisFuture[size];
            this.bytes = measureBytes ? new RedisFuture[size] : null;
            this.ttls = new RedisFuture[size];
        }
    }

    /** Ends the scan as FAILED with a message fit to show. */
    private static final class ScanFailure extends RuntimeException {

        ScanFailure(String message) {
            super(message, null, false, false);
        }
    }
}
