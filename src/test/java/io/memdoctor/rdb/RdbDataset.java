package io.memdoctor.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Varied data for RDB tests: every type in its compact and full encodings (small and large collections), integer
 * and long strings, expiring keys, streams with consumer groups and pending entries, hash fields with TTLs on
 * servers that have HEXPIRE, spread over three databases; and the truth about it as the server reports it.
 */
final class RdbDataset {

    /** What the server says about one key. */
    record Truth(int db, String key, String type, long elements, long memoryUsage) {
    }

    private RdbDataset() {
    }

    /**
     * Loads the data; {@code scale} multiplies the number of keys (1 gives about 1,500 keys).
     *
     * @return whether hash-field TTLs were set (the server knows HEXPIRE)
     */
    static boolean load(Resp r, int scale, long seed) {
        Random rnd = new Random(seed);
        boolean hexpire = false;
        for (int db = 0; db < 3; db++) {
            r.call("SELECT", db);
            int n = (db == 0 ? 200 : 60) * scale;
            for (int i = 0; i < n; i++) {
                r.send("SET", "user:" + db + ":" + i + ":name", word(rnd, 3 + rnd.nextInt(40)));
                r.send("SET", "counter:" + i, rnd.nextInt(100000) * (rnd.nextBoolean() ? 1 : 1000003L));
                if (i % 3 == 0) {
                    r.send("SET", "blob:" + i, word(rnd, 50 + rnd.nextInt(i % 30 == 0 ? 20000 : 600)));
                }
                if (i % 4 == 0) {
                    r.send("EXPIRE", "user:" + db + ":" + i + ":name", 60 + rnd.nextInt(900000));
                }
            }
            int collections = (db == 0 ? 40 : 12) * scale;
            for (int i = 0; i < collections; i++) {
                boolean big = i % 5 == 0;
                int size = big ? 200 + rnd.nextInt(3000) : 1 + rnd.nextInt(60);
                String list = "queue:" + i;
                for (int j = 0; j < size; j += 100) {
                    List<Object> args = new ArrayList<>(List.of("RPUSH", list));
                    for (int k = j; k < Math.min(size, j + 100); k++) {
                        args.add(rnd.nextInt(4) == 0 ? Integer.toString(rnd.nextInt(1 << 20)) : word(rnd, 5 + rnd.nextInt(60)));
                    }
                    r.send(args.toArray());
                }
                String set = "tags:" + i;
                boolean ints = i % 3 == 0;
                for (int j = 0; j < size; j += 100) {
                    List<Object> args = new ArrayList<>(List.of("SADD", set));
                    for (int k = j; k < Math.min(size, j + 100); k++) {
                        args.add(ints ? Integer.toString(rnd.nextInt(1_000_000)) : word(rnd, 4 + rnd.nextInt(30)));
                    }
                    r.send(args.toArray());
                }
                String zset = "rank:" + i;
                for (int j = 0; j < size; j += 100) {
                    List<Object> args = new ArrayList<>(List.of("ZADD", zset));
                    for (int k = j; k < Math.min(size, j + 100); k++) {
                        args.add(rnd.nextInt(1000) / 7.0);
                        args.add("member:" + k + ":" + word(rnd, rnd.nextInt(20)));
                    }
                    r.send(args.toArray());
                }
                String hash = "session:" + i;
                for (int j = 0; j < size; j += 100) {
                    List<Object> args = new ArrayList<>(List.of("HSET", hash));
                    for (int k = j; k < Math.min(size, j + 100); k++) {
                        args.add("f" + k);
                        args.add(rnd.nextBoolean() ? Integer.toString(rnd.nextInt(100000)) : word(rnd, 1 + rnd.nextInt(80)));
                    }
                    r.send(args.toArray());
                }
                if (i % 2 == 0) {
                    r.send("PEXPIRE", hash, 3_600_000L + rnd.nextInt(100_000_000));
                }
                if (i % 4 == 1) {
                    Object answer = r.call("HEXPIRE", hash, 100000, "FIELDS", 2, "f0", "f1");
                    hexpire = !(answer instanceof Resp.Err);
                }
                if (i % 3 == 0) {
                    String stream = "events:" + i;
                    int entries = big ? 500 + rnd.nextInt(3000) : 1 + rnd.nextInt(50);
                    for (int j = 0; j < entries; j++) {
                        r.send("XADD", stream, "*", "kind", "click", "user", Integer.toString(rnd.nextInt(10000)),
                                "payload", word(rnd, rnd.nextInt(40)));
                    }
                    r.sync();
                    if (i % 2 == 0) {
                        r.call("XGROUP", "CREATE", stream, "workers", "0");
                        r.call("XREADGROUP", "GROUP", "workers", "alice", "COUNT", 1 + entries / 3, "STREAMS", stream, ">");
                        r.call("XREADGROUP", "GROUP", "workers", "bob", "COUNT", 5, "STREAMS", stream, ">");
                        r.call("XGROUP", "CREATE", stream, "audit", "$");
                    }
                }
            }
            r.sync();
        }
        r.call("SELECT", 0);
        r.call("SET", "<script>alert(1)</script>", "x");
        r.call("SET", "bin\u0000\n\"key", "y");
        Object loaded = r.call("FUNCTION", "LOAD",
                "#!lua name=mdlib\nredis.register_function('mdf', function(keys, args) return 1 end)");
        if (loaded instanceof Resp.Err e) {
            throw new IllegalStateException("FUNCTION LOAD: " + e.message());
        }
        return hexpire;
    }

    private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private static String word(Random rnd, int len) {
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = LETTERS[rnd.nextInt(LETTERS.length)];
        }
        return new String(c);
    }

    /** Every key of every database with TYPE, its length command and MEMORY USAGE SAMPLES 0. */
    static List<Truth> truth(Resp r) {
        List<Truth> out = new ArrayList<>();
        Map<String, String> lengthCommand = new HashMap<>(Map.of("string", "STRLEN", "list", "LLEN", "set", "SCARD",
                "zset", "ZCARD", "hash", "HLEN", "stream", "XLEN"));
        for (int db = 0; db < 16; db++) {
            r.call("SELECT", db);
            String cursor = "0";
            do {
                @SuppressWarnings("unchecked")
                List<Object> reply = (List<Object>) r.call("SCAN", cursor, "COUNT", 1000);
                cursor = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
                @SuppressWarnings("unchecked")
                List<Object> keys = (List<Object>) reply.get(1);
                for (Object k : keys) {
                    byte[] key = (byte[]) k;
                    String type = r.text("TYPE", key);
                    long elements = r.integer(lengthCommand.get(type), key);
                    long usage = r.integer("MEMORY", "USAGE", key, "SAMPLES", 0);
                    out.add(new Truth(db, new String(key, StandardCharsets.ISO_8859_1), type, elements, usage));
                }
            } while (!"0".equals(cursor));
        }
        r.call("SELECT", 0);
        return out;
    }
}
