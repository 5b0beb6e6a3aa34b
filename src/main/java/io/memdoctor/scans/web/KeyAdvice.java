package io.memdoctor.scans.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.memdoctor.scans.engine.KeyNames;

import io.memdoctor.scans.engine.ScanResults;

/**
 * The plain fix to consider for a big key, by type and TTL: what the field guide recommends (LTRIM for lists that
 * grow without a cap, EXPIRE for transient data kept forever, splitting and HSCAN/ZSCAN paging for huge hashes and
 * sorted sets). Advice, not a diagnosis: the page says "consider".
 */
public final class KeyAdvice {

    /** From this many elements a collection is "big" enough for advice. */
    static final long BIG_COLLECTION = 5_000;
    /** From this many bytes any key is big enough for advice. */
    static final long BIG_BYTES = 1 << 20;
    /** A string from this size is worth a look. */
    static final long BIG_STRING = 100 << 10;
    /** Keys without expiry get the EXPIRE advice from this size: small ones without a TTL are the normal case. */
    static final long BIG_WITHOUT_TTL = 64 << 10;

    /**
     * A top key and its fixes.
     *
     * @param key the key
     * @param fixes what to consider, empty when nothing stands out
     */
    public record Row(ScanResults.KeyEntry key, List<String> fixes) {
    }

    private KeyAdvice() {
    }

    static List<Row> rows(List<ScanResults.KeyEntry> keys) {
        return keys.stream().map(key -> new Row(key, fixes(key))).toList();
    }

    /** What to consider for one big key, empty when nothing stands out; incident exports list them too. */
    public static List<String> fixes(ScanResults.KeyEntry key) {
        List<String> fixes = new ArrayList<>();
        long elements = key.elements() == null ? 0 : key.elements();
        long bytes = key.bytes() == null ? 0 : key.bytes();
        boolean big = elements >= BIG_COLLECTION || bytes >= BIG_BYTES;
        String n = String.format(Locale.ROOT, "%,d", elements);
        switch (key.type()) {
            case "list" -> {
                if (big) {
                    fixes.add("A list of " + n + " items: cap it where it is written, LPUSH then LTRIM "
                            + KeyNames.cliArgument(key.key()) + " 0 999 keeps the newest 1,000. If it is a queue, check its consumer.");
                }
            }
            case "hash" -> {
                if (big) {
                    fixes.add("A hash of " + n + " fields: split it into smaller hashes (a bucket per field hash,"
                            + " key:{0..1023}) and read it with HSCAN, never HGETALL.");
                }
            }
            case "zset" -> {
                if (big) {
                    fixes.add("A sorted set of " + n + " members: trim old ones (ZREMRANGEBYRANK " + KeyNames.cliArgument(key.key())
                            + " 0 -10001 keeps the top 10,000, or ZREMRANGEBYSCORE by time), split it by period,"
                            + " and page with ZRANGE … LIMIT or ZSCAN.");
                }
            }
            case "set" -> {
                if (big) {
                    fixes.add("A set of " + n + " members: split it, and read it with SSCAN, never SMEMBERS.");
                }
            }
            case "stream" -> {
                if (big) {
                    fixes.add("A stream of " + n + " entries: cap it with XADD … MAXLEN ~ N or XTRIM " + KeyNames.cliArgument(key.key())
                            + " MAXLEN ~ 100000.");
                }
            }
            case "string" -> {
                if (bytes >= BIG_STRING || elements >= BIG_STRING) {
                    fixes.add("A big value: compress it, split it, or keep it outside Redis and store a reference.");
                }
            }
            default -> {
                // module types: nothing general to say
            }
        }
        if (key.ttlSeconds() < 0 && (big || bytes >= BIG_WITHOUT_TTL || elements >= BIG_STRING)) {
            fixes.add("No expiry: if it is transient (a cache, a session, a feed), give it one, EXPIRE "
                    + KeyNames.cliArgument(key.key()) + " 86400.");
        }
        return fixes;
    }
}
