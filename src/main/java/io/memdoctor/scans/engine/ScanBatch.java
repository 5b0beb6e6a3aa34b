package io.memdoctor.scans.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.memdoctor.redis.resp.RespConnection;

/**
 * One SCAN page and, per key, the replies about it and how far it got: the per-key state of a scan, kept in plain
 * arrays (no object per key or per command).
 *
 * <p>A key's size command depends on its type. Asking TYPE first would cost a round and a fourth command per key,
 * so the type is guessed from the key's pattern; a size command that succeeds with a non-zero count proves the
 * type, since Redis answers WRONGTYPE otherwise. A wrong or missing guess costs a TYPE and then the right size
 * command, in the batch's next {@link Round}. Keys that vanish between SCAN and the commands about them (deleted,
 * expired, replaced by another type) end as vanished.
 */
final class ScanBatch {

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

    final List<byte[]> keys;
    final int size;
    final long cursor;
    /** Bytes of the key names, for bounding what is in flight. */
    final long keyBytes;
    private final String[] names;
    private final String[] patterns;
    /** The confirmed type (by TYPE, or by a size command that succeeded). */
    private final String[] type;
    /** The type the size command was sent for. */
    private final String[] sizeType;
    private final byte[] state;
    /** TYPE's answer, until it is acted on. */
    private final String[] typeReply;
    private final byte[] sizeReply;
    private final long[] sizes;
    /** MEMORY USAGE, {@link #NO_KEY} or {@link #REFUSED}; {@code null} when not measured. */
    private final long[] bytes;
    private final long[] ttls;
    private final boolean[] ttlRefused;
    boolean done;

    ScanBatch(List<byte[]> keys, long cursor, boolean measureBytes) {
        this.keys = keys;
        this.size = keys.size();
        this.cursor = cursor;
        long total = 0;
        for (byte[] key : keys) {
            total += key.length;
        }
        this.keyBytes = total;
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

    /**
     * Writes the first round: the size command of the guessed type (or TYPE without a guess), MEMORY USAGE, PTTL.
     *
     * @param fixedType the type every key has (SCAN's TYPE filter), {@code null} to guess from the pattern
     */
    Round first(KeyCommands commands, PatternCollapser collapser, Map<String, String> guesses, String fixedType) {
        Round round = new Round(this, size * 3);
        for (int i = 0; i < size; i++) {
            byte[] key = keys.get(i);
            names[i] = KeyNames.shown(key);
            patterns[i] = collapser.collapse(names[i]);
            String guess = fixedType != null ? fixedType : guesses.get(patterns[i]);
            if (commands.size(guess, key)) {
                sizeType[i] = guess;
                round.add(i, SIZE);
            }
            else {
                commands.type(key);
                round.add(i, TYPE);
            }
            if (bytes != null) {
                commands.memoryUsage(key);
                round.add(i, BYTES);
            }
            commands.pttl(key);
            round.add(i, TTL);
        }
        return round;
    }

    /**
     * Reads the replies of one of this batch's rounds, then moves every pending key on.
     *
     * @return the next round (its commands written), or {@code null} when every key is settled
     */
    Round read(Round round, RespConnection connection, KeyCommands commands) throws IOException {
        for (int c = 0; c < round.size; c++) {
            int op = round.ops[c];
            store(op >>> 2, op & 3, connection.read(), connection);
        }
        Round next = new Round(this, 0);
        for (int i = 0; i < size; i++) {
            if (state[i] == PENDING) {
                settle(i, next, commands);
            }
        }
        if (next.size > 0) {
            return next;
        }
        done = true;
        return null;
    }

    /** Keeps one reply about key {@code i}. */
    private void store(int i, int what, int kind, RespConnection connection) throws IOException {
        if (kind == RespConnection.ERROR) {
            switch (what) {
                case SIZE -> {
                    if (connection.text().startsWith("WRONGTYPE")) {
                        sizeReply[i] = WRONG_TYPE;
                    }
                    else {
                        state[i] = UNREADABLE;
                    }
                }
                case TYPE -> state[i] = UNREADABLE;
                // refused for this key only (an ACL key pattern): its other figures still count
                case BYTES -> bytes[i] = REFUSED;
                default -> ttlRefused[i] = true;
            }
        }
        else if (kind == (what == TYPE ? RespConnection.STATUS : RespConnection.INTEGER)) {
            switch (what) {
                case SIZE -> {
                    sizes[i] = connection.integer();
                    sizeReply[i] = SIZED;
                }
                case TYPE -> typeReply[i] = connection.text();
                case BYTES -> bytes[i] = connection.integer();
                default -> ttls[i] = connection.integer();
            }
        }
        else if (what == BYTES && kind == RespConnection.NIL) {
            // MEMORY USAGE answers nil for a key that does not exist
            bytes[i] = NO_KEY;
        }
        else {
            throw connection.unexpected(kind);
        }
    }

    /**
     * Moves key {@code i} on from the replies it has: measured, vanished, or the next command written into
     * {@code next} (TYPE after a wrong guess, the size command once the type is known).
     */
    private void settle(int i, Round next, KeyCommands commands) {
        byte[] key = keys.get(i);
        String reportedType = typeReply[i];
        if (type[i] == null && reportedType != null) {
            typeReply[i] = null;
            if ("none".equals(reportedType)) {
                state[i] = VANISHED;
                return;
            }
            type[i] = reportedType;
            sizeType[i] = reportedType;
            if (commands.size(reportedType, key)) {
                next.add(i, SIZE);
            }
            else {
                // module types have no size command
                state[i] = MEASURED;
            }
            return;
        }
        if (sizeReply[i] == WRONG_TYPE) {
            sizeReply[i] = NO_SIZE;
            if (type[i] != null) {
                // TYPE said one thing and the size command met another: replaced between the two
                state[i] = VANISHED;
                return;
            }
            commands.type(key);
            next.add(i, TYPE);
            return;
        }
        String sized = sizeType[i];
        if (sizes[i] == 0 && !"string".equals(sized) && !"stream".equals(sized)) {
            // Redis deletes empty collections, so a count of zero means the key is gone
            state[i] = VANISHED;
            return;
        }
        type[i] = sized;
        state[i] = MEASURED;
    }

    /**
     * Adds the settled batch up, and remembers the types seen by pattern for later guesses.
     *
     * @return false when a key was left unsettled (a bug, never Redis' doing)
     */
    boolean addUp(ScanAccumulator accumulator, Map<String, String> guesses, int maxGuesses) {
        for (int i = 0; i < size; i++) {
            switch (state[i]) {
                case MEASURED -> measured(i, accumulator, guesses, maxGuesses);
                case VANISHED -> accumulator.vanished();
                case UNREADABLE -> accumulator.unreadable();
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private void measured(int i, ScanAccumulator accumulator, Map<String, String> guesses, int maxGuesses) {
        if (ttlRefused[i]) {
            accumulator.unreadable();
            return;
        }
        long ttl = ttls[i];
        if (ttl == -2) {
            // PTTL -2: no such key (an empty string or stream that was deleted meanwhile)
            accumulator.vanished();
            return;
        }
        long measuredBytes = ScanAccumulator.UNKNOWN;
        if (bytes != null) {
            if (bytes[i] == NO_KEY) {
                accumulator.vanished();
                return;
            }
            measuredBytes = bytes[i] == REFUSED ? ScanAccumulator.UNKNOWN : bytes[i];
        }
        long elements = sizeReply[i] == SIZED ? sizes[i] : ScanAccumulator.UNKNOWN;
        accumulator.add(names[i], patterns[i], type[i], measuredBytes, elements, ttl);
        boolean guessable = ScanParameters.TYPES.contains(type[i]);
        if (guessable && (guesses.size() < maxGuesses || guesses.containsKey(patterns[i]))) {
            guesses.put(patterns[i], type[i]);
        }
    }

    /** Commands written together, in order: per command, {@code key index << 2 | what it asks}. */
    static final class Round {

        final ScanBatch batch;
        private int[] ops;
        private int size;

        Round(ScanBatch batch, int capacity) {
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
}
