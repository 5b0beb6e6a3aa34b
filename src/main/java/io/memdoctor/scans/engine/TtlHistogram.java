package io.memdoctor.scans.engine;

import java.util.ArrayList;
import java.util.List;

/** Keys and bytes per TTL bucket: no expiry, under an hour, up to a day, up to a week, longer. */
public final class TtlHistogram {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long WEEK = 7 * DAY;
    private static final String[] IDS = {"none", "lt1h", "1h-24h", "1d-7d", "gt7d"};
    private static final String[] LABELS = {"no expiry", "< 1 h", "1 h – 24 h", "1 d – 7 d", "> 7 d"};

    private final long[] keys = new long[IDS.length];
    private final long[] bytes = new long[IDS.length];

    /**
     * Counts one key.
     *
     * @param ttlMillis PTTL: -1 for no expiry, otherwise milliseconds left
     * @param keyBytes the key's bytes, 0 when unknown
     */
    public void add(long ttlMillis, long keyBytes) {
        int bucket = bucketOf(ttlMillis);
        keys[bucket]++;
        bytes[bucket] += keyBytes;
    }

    static int bucketOf(long ttlMillis) {
        if (ttlMillis < 0) {
            return 0;
        }
        if (ttlMillis < HOUR) {
            return 1;
        }
        if (ttlMillis < DAY) {
            return 2;
        }
        return ttlMillis < WEEK ? 3 : 4;
    }

    /** Every bucket, in order, even empty ones (so charts keep their axis). */
    public List<ScanResults.TtlBucket> buckets(boolean withBytes) {
        List<ScanResults.TtlBucket> out = new ArrayList<>(IDS.length);
        for (int i = 0; i < IDS.length; i++) {
            out.add(new ScanResults.TtlBucket(IDS[i], LABELS[i], keys[i], withBytes ? bytes[i] : null));
        }
        return out;
    }
}
