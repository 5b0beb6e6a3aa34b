package io.memdoctor.support;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/**
 * A mixed keyspace for scan tests, loaded through {@link RedisPipe}: every type, small and big encodings, id-like
 * segments, TTLs in every bucket, and hostile names (binary bytes, HTML, quotes and newlines). Each type has one
 * clearly biggest key, so "the biggest key per type" has exactly one right answer.
 */
public final class ScanDataset {

    /** A name with bytes that are not UTF-8 and a NUL. */
    public static final byte[] BINARY_KEY = {'b', 'i', 'n', (byte) 0xff, 0x00, 'k', 'e', 'y'};
    /** How redis-cli and the scan show {@link #BINARY_KEY}. */
    public static final String BINARY_KEY_ESCAPED = "bin\\xff\\x00key";
    public static final String HTML_KEY = "<img src=x onerror=alert(1)>";
    public static final String QUOTE_KEY = "quote\"and\nnewline";
    public static final String QUOTE_KEY_ESCAPED = "quote\\\"and\\nnewline";

    public static final int USERS = 2000;
    public static final int BIG_LIST = 50_000;
    public static final int BIG_SET = 30_000;
    public static final int BIG_ZSET = 40_000;
    public static final int BIG_HASH = 25_000;
    public static final int BIG_STREAM = 5_000;
    public static final int BIG_STRING = 200_000;

    private ScanDataset() {
    }

    /** Loads the dataset; returns the number of keys. */
    public static long load(RedisServer server) {
        Random random = new Random(42);
        long keys = 0;
        try (RedisPipe pipe = RedisPipe.to(server)) {
            for (int i = 0; i < USERS; i++) {
                String user = "user:" + (1000 + i);
                pipe.command("SET", user + ":name", "name-" + i);
                pipe.command("HSET", user + ":profile", "name", "n" + i, "email", i + "@example.com", "age",
                        Integer.toString(20 + i % 50), "city", "c" + (i % 17), "plan", i % 3 == 0 ? "pro" : "free");
                String[] feed = new String[2 + 1 + i % 40];
                feed[0] = "RPUSH";
                feed[1] = user + ":feed";
                for (int j = 2; j < feed.length; j++) {
                    feed[j] = "post-" + random.nextInt(100_000);
                }
                pipe.command(feed);
                keys += 3;
                // half of the users' keys expire, spread over every TTL bucket
                if (i % 2 == 0) {
                    long[] ttls = {1800, 5 * 3600, 3 * 86400, 30 * 86400};
                    pipe.command("EXPIRE", user + ":name", Long.toString(ttls[i / 2 % 4]));
                    pipe.command("EXPIRE", user + ":feed", Long.toString(ttls[(i / 2 + 1) % 4]));
                }
            }
            for (int i = 0; i < 1000; i++) {
                pipe.command("SET", "session:" + new UUID(random.nextLong(), random.nextLong()), "s".repeat(40),
                        "EX", "1800");
                pipe.command("SET", "cache:page:" + Long.toHexString(random.nextLong() | (1L << 60)),
                        "p".repeat(1000 + random.nextInt(1000)), "EX", Integer.toString(2 * 86400));
                String[] tags = new String[2 + 1 + i % 20];
                tags[0] = "SADD";
                tags[1] = "tags:" + i;
                for (int j = 2; j < tags.length; j++) {
                    tags[j] = Integer.toString(j * 7 + i);
                }
                pipe.command(tags);
                String[] board = new String[2 + 2 * (1 + i % 30)];
                board[0] = "ZADD";
                board[1] = "leaderboard:" + i;
                for (int j = 2; j < board.length; j += 2) {
                    board[j] = Integer.toString(random.nextInt(1000));
                    board[j + 1] = "player-" + j;
                }
                pipe.command(board);
                keys += 4;
            }
            for (int i = 0; i < 50; i++) {
                for (int j = 0; j <= i % 10; j++) {
                    pipe.command("XADD", "stream:" + i, "*", "event", "e" + j);
                }
                keys++;
            }
            pipe.command("SET", "blob:huge", "x".repeat(BIG_STRING));
            pipe.fill("RPUSH", "queue:events", BIG_LIST, 1, i -> new String[] {"event-" + i});
            pipe.fill("SADD", "set:big", BIG_SET, 1, i -> new String[] {"member-" + i});
            pipe.fill("ZADD", "zset:big", BIG_ZSET, 2, i -> new String[] {Integer.toString(i), "m-" + i});
            pipe.fill("HSET", "hash:big", BIG_HASH, 2, i -> new String[] {"field-" + i, "value-" + i});
            for (int i = 0; i < BIG_STREAM; i++) {
                pipe.command("XADD", "stream:big", "*", "n", Integer.toString(i));
            }
            keys += 6;
            pipe.raw(bytes("SET"), BINARY_KEY, bytes("v".repeat(5000)));
            pipe.command("HSET", HTML_KEY, "a", "1", "b", "2", "c", "3");
            pipe.command("SET", QUOTE_KEY, "q");
            keys += 3;
        }
        return keys;
    }


    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
