package io.memdoctor.scans;

import java.util.Random;
import java.util.UUID;

import io.memdoctor.support.RedisPipe;
import io.memdoctor.support.RedisServer;

/**
 * The benchmark's keyspace: 1,000,000 small keys of every common type, about half with a TTL, plus four
 * collections of 150,000 to 300,000 elements, loaded through {@code redis-cli --pipe}.
 */
final class BenchmarkDataset {

    static final int SESSIONS = 300_000;
    static final int PAGES = 150_000;
    static final int PROFILES = 150_000;
    static final int TAGS = 100_000;
    static final int FEEDS = 150_000;
    static final int BOARDS = 100_000;
    static final int COUNTERS = 50_000;
    static final int BIG = 4;
    static final long KEYS = (long) SESSIONS + PAGES + PROFILES + TAGS + FEEDS + BOARDS + COUNTERS + BIG;

    private BenchmarkDataset() {
    }

    /** Loads the keyspace and returns the number of keys. */
    static long load(RedisServer server) {
        return load(server.port());
    }

    static long load(int port) {
        Random random = new Random(7);
        try (RedisPipe pipe = RedisPipe.to(port)) {
            for (int i = 0; i < SESSIONS; i++) {
                pipe.command("SET", "session:" + new UUID(random.nextLong(), random.nextLong()),
                        "s".repeat(50 + random.nextInt(150)), "EX", Integer.toString(600 + random.nextInt(3 * 3600)));
            }
            for (int i = 0; i < PAGES; i++) {
                String key = "cache:page:" + Long.toHexString(random.nextLong() | (1L << 62));
                if (i % 2 == 0) {
                    pipe.command("SET", key, "p".repeat(500), "EX", Integer.toString(86400 + random.nextInt(6 * 86400)));
                }
                else {
                    pipe.command("SET", key, "p".repeat(500));
                }
            }
            for (int i = 0; i < PROFILES; i++) {
                String key = "user:" + i + ":profile";
                int fields = 5 + i % 6;
                String[] args = new String[2 + 2 * fields];
                args[0] = "HSET";
                args[1] = key;
                for (int f = 0; f < fields; f++) {
                    args[2 + 2 * f] = "field" + f;
                    args[3 + 2 * f] = "value-" + random.nextInt(1_000_000);
                }
                pipe.command(args);
                if (i % 3 == 0) {
                    pipe.command("EXPIRE", key, Integer.toString(3600 + random.nextInt(30 * 86400)));
                }
            }
            for (int i = 0; i < TAGS; i++) {
                int members = 3 + i % 13;
                String[] args = new String[2 + members];
                args[0] = "SADD";
                args[1] = "user:" + i + ":tags";
                for (int m = 0; m < members; m++) {
                    args[2 + m] = "tag-" + random.nextInt(500);
                }
                pipe.command(args);
            }
            for (int i = 0; i < FEEDS; i++) {
                String key = "user:" + i + ":feed";
                int items = 5 + i % 26;
                String[] args = new String[2 + items];
                args[0] = "RPUSH";
                args[1] = key;
                for (int m = 0; m < items; m++) {
                    args[2 + m] = "post:" + random.nextInt(10_000_000);
                }
                pipe.command(args);
                if (i % 2 == 0) {
                    pipe.command("EXPIRE", key, Integer.toString(60 + random.nextInt(7 * 86400)));
                }
            }
            for (int i = 0; i < BOARDS; i++) {
                int members = 5 + i % 16;
                String[] args = new String[2 + 2 * members];
                args[0] = "ZADD";
                args[1] = "leaderboard:" + (i % 1000) + ":" + (20240000 + i / 1000);
                for (int m = 0; m < members; m++) {
                    args[2 + 2 * m] = Integer.toString(random.nextInt(100_000));
                    args[3 + 2 * m] = "player-" + m;
                }
                pipe.command(args);
            }
            for (int i = 0; i < COUNTERS; i++) {
                pipe.command("SET", "counter:" + i, Integer.toString(random.nextInt(1_000_000)));
            }
            pipe.fill("RPUSH", "queue:events", 300_000, 1, i -> new String[] {"event-" + i});
            pipe.fill("HSET", "hash:dumping-ground", 200_000, 2, i -> new String[] {"f" + i, "v" + i});
            pipe.fill("ZADD", "zset:all-events", 200_000, 2, i -> new String[] {Integer.toString(i), "e" + i});
            pipe.fill("SADD", "set:visitors", 150_000, 1, i -> new String[] {"visitor-" + i});
        }
        return KEYS;
    }

}
