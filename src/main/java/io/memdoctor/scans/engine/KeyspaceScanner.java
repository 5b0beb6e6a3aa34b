package io.memdoctor.scans.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
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
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * One pass over a keyspace: SCAN with COUNT, and for every key TYPE, MEMORY USAGE (with SAMPLES), PTTL and then
 * the element count (STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN, which needs the type), all pipelined.
 *
 * <p>How it stays fast without a round trip per key: commands are written with auto-flush off and flushed once per
 * batch; the next SCAN goes out with the current batch's commands, and up to {@code batchesInFlight} batches are
 * in flight at once. When a batch's TYPE replies arrive (replies come in order, so the last one means all), the
 * size commands are sent from that callback; finished batches are queued and added up on the scanning thread,
 * which alone touches the {@link ScanAccumulator}.
 *
 * <p>How it stays gentle: with {@code maxKeysPerSecond}, batches are small (a fiftieth of a second's worth of
 * keys) and one at a time, spaced by a {@link Throttle}.
 *
 * <p>Keys that vanish between SCAN and the commands about them (deleted, expired, replaced by another type) are
 * counted as vanished and nowhere else. A server that refuses MEMORY USAGE (ACL, renamed on a managed service) is
 * found before the scan starts by a probe; the scan then measures everything else. Connection failures and
 * timeouts end the scan as FAILED; what was added up so far stays in the accumulator.
 */
public final class KeyspaceScanner {

    private static final byte[] USAGE = "USAGE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SAMPLES = "SAMPLES".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROBE_KEY = "memdoctor:memory-usage-probe".getBytes(StandardCharsets.US_ASCII);
    /** Batches of a throttled scan hold this fraction of a second's worth of keys. */
    private static final int THROTTLED_BATCHES_PER_SECOND = 50;
    private static final int MIN_THROTTLED_COUNT = 10;

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final ScanParameters parameters;
    private final ScanAccumulator accumulator;
    private final ScanProgress progress;
    private final Duration timeout;
    private final int window;
    private final BlockingQueue<Batch> completed = new LinkedBlockingQueue<>();
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
        this.timeout = timeout;
        this.window = parameters.maxKeysPerSecond() == null ? Math.max(1, batchesInFlight) : 1;
        this.samples = Integer.toString(parameters.samples()).getBytes(StandardCharsets.US_ASCII);
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
            while (next != null) {
                KeyScanCursor<byte[]> page = scanReply(next);
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
            return new ScanOutcome(stop.getAsBoolean() ? ScanStatus.CANCELLED : ScanStatus.DONE, null);
        }
        catch (ScanFailure failure) {
            progress.finished();
            return new ScanOutcome(ScanStatus.FAILED, failure.getMessage());
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

    /** For tests: runs between a SCAN reply and the commands about its keys, to change the keys meanwhile. */
    void beforeMeasuring(Consumer<List<byte[]>> hook) {
        this.beforeMeasuring = hook;
    }

    private KeyScanArgs scanArgs() {
        int count = parameters.count();
        if (parameters.maxKeysPerSecond() != null) {
            // a rate-limited scan asks for small pages, so its load is spread evenly instead of arriving in bursts
            count = Math.min(count, Math.max(MIN_THROTTLED_COUNT,
                    parameters.maxKeysPerSecond() / THROTTLED_BATCHES_PER_SECOND));
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
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add(USAGE).addKey(key)
                .add(SAMPLES).add(samples);
        return redis.dispatch(CommandType.MEMORY, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    /** Writes TYPE, MEMORY USAGE and PTTL for every key of the batch (not flushed). */
    private void send(Batch batch) {
        int n = batch.keys.size();
        for (int i = 0; i < n; i++) {
            byte[] key = batch.keys.get(i);
            batch.types[i] = redis.type(key);
            if (batch.bytes != null) {
                batch.bytes[i] = memoryUsage(key);
            }
            batch.ttls[i] = redis.pttl(key);
        }
        inFlight++;
        whenAllDone(batch.ttls[n - 1], () -> afterFirstRound(batch), batch.types, batch.bytes, batch.ttls);
    }

    /**
     * Runs on Lettuce's event loop when the batch's last PTTL reply arrived: writes the size command of every key
     * that still exists, and flushes.
     */
    private void afterFirstRound(Batch batch) {
        try {
            RedisFuture<Long> last = null;
            for (int i = 0; i < batch.types.length; i++) {
                CompletableFuture<String> reply = batch.types[i].toCompletableFuture();
                String type = reply.isCompletedExceptionally() ? null : reply.getNow(null);
                RedisFuture<Long> size = type == null ? null : sizeCommand(type, batch.keys.get(i));
                batch.sizes[i] = size;
                if (size != null) {
                    last = size;
                }
            }
            if (last == null) {
                completed.add(batch);
                return;
            }
            connection.flushCommands();
            whenAllDone(last, () -> completed.add(batch), batch.sizes);
        }
        catch (RuntimeException ex) {
            batch.failure = ex;
            completed.add(batch);
        }
    }

    /**
     * Runs {@code action} once every future of the groups is done. Replies complete in order, so that is when the
     * last one is done; only a timeout (which completes a command out of order) needs the slower wait for all.
     */
    private static void whenAllDone(RedisFuture<?> last, Runnable action, RedisFuture<?>[]... groups) {
        last.whenComplete((value, error) -> {
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (RedisFuture<?>[] group : groups) {
                if (group != null) {
                    for (RedisFuture<?> future : group) {
                        if (future != null && !future.isDone()) {
                            pending.add(future.toCompletableFuture());
                        }
                    }
                }
            }
            if (pending.isEmpty()) {
                action.run();
            }
            else {
                CompletableFuture.allOf(pending.toArray(CompletableFuture<?>[]::new))
                        .whenComplete((v, e) -> action.run());
            }
        });
    }

    private RedisFuture<Long> sizeCommand(String type, byte[] key) {
        return switch (type) {
            case "string" -> redis.strlen(key);
            case "list" -> redis.llen(key);
            case "set" -> redis.scard(key);
            case "zset" -> redis.zcard(key);
            case "hash" -> redis.hlen(key);
            case "stream" -> redis.xlen(key);
            // "none" (gone already) and module types have no size command
            default -> null;
        };
    }

    private void drainReady() {
        Batch batch;
        while ((batch = completed.poll()) != null) {
            inFlight--;
            addUp(batch);
        }
    }

    private void drainUntilInFlightBelow(int limit) throws InterruptedException {
        drainReady();
        while (inFlight >= limit && inFlight > 0) {
            Batch batch = completed.poll(waitMillis(), TimeUnit.MILLISECONDS);
            if (batch == null) {
                throw new ScanFailure("Redis did not answer within " + timeout.toSeconds() + " s");
            }
            inFlight--;
            addUp(batch);
        }
    }

    /** Adds a finished batch up, on the scanning thread. */
    private void addUp(Batch batch) {
        if (batch.failure != null) {
            throw failure(batch.failure);
        }
        for (int i = 0; i < batch.types.length; i++) {
            measure(batch, i);
        }
        progress.scanned(batch.types.length, batch.cursor);
    }

    private void measure(Batch batch, int i) {
        String type;
        Long ttl;
        try {
            type = result(batch.types[i]);
            ttl = result(batch.ttls[i]);
        }
        catch (RedisCommandExecutionException ex) {
            accumulator.unreadable();
            return;
        }
        if (type == null || "none".equals(type) || ttl == null || ttl == -2) {
            accumulator.vanished();
            return;
        }
        long bytes = ScanAccumulator.UNKNOWN;
        if (batch.bytes != null) {
            try {
                Long usage = result(batch.bytes[i]);
                if (usage == null) {
                    // MEMORY USAGE answers nil for a key that does not exist
                    accumulator.vanished();
                    return;
                }
                bytes = usage;
            }
            catch (RedisCommandExecutionException ex) {
                // refused for this key only (an ACL key pattern): its other figures still count
            }
        }
        long elements = ScanAccumulator.UNKNOWN;
        if (batch.sizes[i] != null) {
            Long size;
            try {
                size = result(batch.sizes[i]);
            }
            catch (RedisCommandExecutionException ex) {
                // WRONGTYPE: deleted and recreated as another type between the two rounds
                accumulator.vanished();
                return;
            }
            if (size == null || (size == 0 && !"string".equals(type) && !"stream".equals(type))) {
                // Redis deletes empty collections: zero means the key went away between the two rounds
                accumulator.vanished();
                return;
            }
            elements = size;
        }
        accumulator.add(batch.keys.get(i), type, bytes, elements, ttl);
    }

    private static <T> T result(RedisFuture<T> future) {
        try {
            return future.toCompletableFuture().getNow(null);
        }
        catch (java.util.concurrent.CompletionException ex) {
            if (ex.getCause() instanceof RedisCommandExecutionException commandError) {
                throw commandError;
            }
            throw failure(ex.getCause() == null ? ex : ex.getCause());
        }
        catch (CancellationException ex) {
            throw failure(ex);
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
        // Lettuce's own command timeout should fire first; this only guards against a reply that never comes
        return timeout.toMillis() + 5_000;
    }

    private static ScanFailure failure(Throwable cause) {
        if (cause instanceof ScanFailure failure) {
            return failure;
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ScanFailure("Lost Redis during the scan: " + message);
    }

    /** One SCAN page and the replies about its keys. */
    private final class Batch {

        final List<byte[]> keys;
        final long cursor;
        final RedisFuture<String>[] types;
        final RedisFuture<Long>[] bytes;
        final RedisFuture<Long>[] ttls;
        final RedisFuture<Long>[] sizes;
        volatile Throwable failure;

        @SuppressWarnings("unchecked")
        Batch(List<byte[]> keys, long cursor) {
            this.keys = keys;
            this.cursor = cursor;
            int n = keys.size();
            this.types = new RedisFuture[n];
            this.bytes = measureBytes ? new RedisFuture[n] : null;
            this.ttls = new RedisFuture[n];
            this.sizes = new RedisFuture[n];
        }
    }

    /** Ends the scan as FAILED with a message fit to show. */
    private static final class ScanFailure extends RuntimeException {

        ScanFailure(String message) {
            super(message, null, false, false);
        }
    }
}
