package io.memdoctor.scans;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.memdoctor.instances.RedisCliCommand;
import io.memdoctor.scans.engine.KeyNames;
import io.memdoctor.scans.engine.ScanResults;

/**
 * The plain fix to consider for a big key, by type and TTL: what the field guide recommends (LTRIM for lists that
 * grow without a cap, EXPIRE for transient data kept forever, splitting and HSCAN/ZSCAN paging for huge hashes and
 * sorted sets). Advice, not a diagnosis: the page says "consider". A fix that can be applied to the key now comes
 * with its command line, safe to paste into a shell whatever the key is named.
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
    public record Row(ScanResults.KeyEntry key, List<Fix> fixes) {
    }

    /**
     * One fix.
     *
     * @param advice what to consider, in words
     * @param command a shell command line that applies it to this key now, or {@code null} when the fix is in the
     *     application (splitting, paging); quoted for a POSIX shell and redis-cli ({@link RedisCliCommand})
     */
    public record Fix(String advice, String command) {

        /** The advice and its command as one line, for a table cell of an export. */
        public String text() {
            return command == null ? advice : advice + " " + command;
        }
    }

    private KeyAdvice() {
    }

    /**
     * The top keys with their fixes, as the scan page and the RDB report show them.
     *
     * @param cli how to reach the instance; a key that says its database gets {@code -n} for it
     */
    public static List<Row> rows(List<ScanResults.KeyEntry> keys, RedisCliCommand cli) {
        return keys.stream().map(key -> new Row(key, fixes(key, cli))).toList();
    }

    /**
     * What to consider for one big key, empty when nothing stands out; incident exports list them too.
     *
     * @param connection how to reach the instance, so a command can be pasted as it is
     */
    public static List<Fix> fixes(ScanResults.KeyEntry key, RedisCliCommand connection) {
        // a key of an RDB file says its database: the command must select it, whatever the URL's
        RedisCliCommand cli = key.db() == null ? connection : connection.inDatabase(key.db());
        List<Fix> fixes = new ArrayList<>();
        long elements = key.elements() == null ? 0 : key.elements();
        long bytes = key.bytes() == null ? 0 : key.bytes();
        boolean big = elements >= BIG_COLLECTION || bytes >= BIG_BYTES;
        String n = String.format(Locale.ROOT, "%,d", elements);
        switch (key.type()) {
            case "list" -> {
                if (big) {
                    fixes.add(new Fix("A list of " + n + " items: cap it where it is written, LPUSH then LTRIM;"
                            + " if it is a queue, check its consumer. Keep the newest 1,000 now:",
                            cli.forKey("LTRIM", key.key(), "0", "999")));
                }
            }
            case "hash" -> {
                if (big) {
                    fixes.add(new Fix("A hash of " + n + " fields: split it into smaller hashes (a bucket per field"
                            + " hash, key:{0..1023}) and read it with HSCAN, never HGETALL.", null));
                }
            }
            case "zset" -> {
                if (big) {
                    fixes.add(new Fix("A sorted set of " + n + " members: trim old ones (by rank, or"
                            + " ZREMRANGEBYSCORE by time), split it by period, and page with ZRANGE … LIMIT or ZSCAN."
                            + " Keep the top 10,000 now:", cli.forKey("ZREMRANGEBYRANK", key.key(), "0", "-10001")));
                }
            }
            case "set" -> {
                if (big) {
                    fixes.add(new Fix("A set of " + n + " members: split it, and read it with SSCAN, never SMEMBERS.",
                            null));
                }
            }
            case "stream" -> {
                if (big) {
                    fixes.add(new Fix("A stream of " + n + " entries: cap it with XADD … MAXLEN ~ N. Trim it to"
                            + " about 100,000 now:", cli.forKey("XTRIM", key.key(), "MAXLEN", "~", "100000")));
                }
            }
            case "string" -> {
                if (bytes >= BIG_STRING || elements >= BIG_STRING) {
                    fixes.add(new Fix("A big value: compress it, split it, or keep it outside Redis and store a"
                            + " reference.", null));
                }
            }
            default -> {
                // module types: nothing general to say
            }
        }
        if (key.ttlSeconds() < 0 && (big || bytes >= BIG_WITHOUT_TTL || elements >= BIG_STRING)) {
            fixes.add(new Fix("No expiry: if it is transient (a cache, a session, a feed), give it one, a day here:",
                    cli.forKey("EXPIRE", key.key(), "86400")));
        }
        if (KeyNames.isShortened(key.key()) || KeyNames.isRedacted(key.key())) {
            // the name shown is not the key (shortened, or redacted by an export an incident was imported from):
            // a command with it would reach another key, or none
            return fixes.stream().map(fix -> new Fix(withoutCommand(fix), null)).toList();
        }
        return fixes;
    }

    /** The advice of a fix whose command cannot be given, without the colon that led to it. */
    private static String withoutCommand(Fix fix) {
        if (fix.command() == null || !fix.advice().endsWith(":")) {
            return fix.advice();
        }
        return fix.advice().substring(0, fix.advice().length() - 1)
                + " (no command: the name shown is not the key's whole name).";
    }
}
