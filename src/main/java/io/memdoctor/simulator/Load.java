package io.memdoctor.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * What a workload may do to the server: pipelined batches on one connection, INFO, pauses. Refused commands (OOM
 * at maxmemory is part of a scenario) are counted, not thrown.
 */
final class Load {

    private static final int VALUE_POOL = 256;

    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final Random random = new Random(42);
    private final String[] values1k = new String[VALUE_POOL];
    private final java.util.function.BooleanSupplier running;
    private final LocalRedisServer server;
    private long refused;

    Load(StatefulRedisConnection<String, String> connection, java.util.function.BooleanSupplier running,
            LocalRedisServer server) {
        this.connection = connection;
        this.server = server;
        this.commands = connection.async();
        this.running = running;
        for (int i = 0; i < VALUE_POOL; i++) {
            values1k[i] = randomText(1024);
        }
    }

    RedisAsyncCommands<String, String> commands() {
        return commands;
    }

    /** The server this load drives (to start a replica of it, or to pause it). */
    LocalRedisServer server() {
        return server;
    }

    Random random() {
        return random;
    }

    boolean running() {
        return running.getAsBoolean() && connection.isOpen();
    }

    /** A 1 KB value that does not compress (so an RDB save takes real time, as in production). */
    String value1k() {
        return values1k[random.nextInt(VALUE_POOL)];
    }

    /** An incompressible value of {@code size} bytes, cut from the pool. */
    String value(int size) {
        StringBuilder out = new StringBuilder(size);
        while (out.length() < size) {
            out.append(value1k(), 0, Math.min(1024, size - out.length()));
        }
        return out.toString();
    }

    String randomText(int size) {
        char[] chars = new char[size];
        for (int i = 0; i < size; i++) {
            chars[i] = (char) ('!' + random.nextInt(94));
        }
        return new String(chars);
    }

    /** Sends {@code count} commands pipelined and waits for all of them. */
    void batch(int count, Function<Integer, RedisFuture<?>> command) {
        List<RedisFuture<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(command.apply(i));
        }
        for (RedisFuture<?> future : futures) {
            // each on its own: LettuceFutures.awaitAll would throw at the first refused command
            try {
                if (!future.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Redis did not answer within 30 s");
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            if (future.getError() != null) {
                refused++;
            }
        }
    }

    /** {@code SET key value [EX ttl]} for keys {@code prefix + (start..start+count)}, in pipelined batches. */
    void setMany(String prefix, long start, int count, int valueSize, long ttlSeconds) {
        for (int done = 0; done < count; done += 1000) {
            int size = Math.min(1000, count - done);
            long base = start + done;
            batch(size, i -> ttlSeconds > 0
                    ? commands.set(prefix + (base + i), value(valueSize), SetArgs.Builder.ex(ttlSeconds))
                    : commands.set(prefix + (base + i), value(valueSize)));
        }
    }

    String info(String section) {
        try {
            return commands.info(section).get(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException("INFO " + section + " failed: " + ex.getMessage(), ex);
        }
    }

    /** One numeric field of INFO, or 0. */
    long infoLong(String section, String field) {
        String value = infoField(section, field);
        try {
            return value == null ? 0 : Long.parseLong(value);
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }

    /** One field of INFO, or {@code null}. */
    String infoField(String section, String field) {
        for (String line : info(section).split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        return null;
    }

    /** Sleeps, returning early when the run is stopped. */
    void pause(long millis) {
        long end = System.currentTimeMillis() + millis;
        while (running() && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, end - System.currentTimeMillis())));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Commands Redis refused so far (OOM at maxmemory, for one). */
    long refused() {
        return refused;
    }
}
