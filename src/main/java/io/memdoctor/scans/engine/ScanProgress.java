package io.memdoctor.scans.engine;

/**
 * How far a running scan is, for the progress bar and {@code GET /api/scans/{id}}. Written by the scan's thread,
 * read by any.
 *
 * <p>Without a filter, progress is keys scanned against DBSIZE at the start. With MATCH or TYPE, SCAN skips keys
 * on the server, so progress is read from the cursor instead: Redis advances the bit-reversed cursor through the
 * hash table, so the reversed cursor over 2<sup>64</sup> is the part of the table already visited.
 */
public final class ScanProgress {

    private final long startedNanos = System.nanoTime();
    private final boolean filtered;
    private volatile long keysTotal = -1;
    private volatile long keysScanned;
    private volatile long cursor;
    private volatile boolean finished;
    private volatile long endedNanos;

    public ScanProgress(boolean filtered) {
        this.filtered = filtered;
    }

    void started(long dbsize) {
        keysTotal = dbsize;
    }

    void scanned(int keys, long cursorAfter) {
        keysScanned += keys;
        cursor = cursorAfter;
    }

    void finished() {
        finished = true;
        endedNanos = System.nanoTime();
    }

    /** The figures as of now. */
    public Reading reading() {
        long now = finished ? endedNanos : System.nanoTime();
        double seconds = Math.max((now - startedNanos) / 1e9, 1e-3);
        long scanned = keysScanned;
        long total = keysTotal;
        double fraction;
        if (finished) {
            fraction = 1;
        }
        else if (filtered || total <= 0) {
            fraction = cursor == 0 ? 0 : (Long.reverse(cursor) >>> 11) / (double) (1L << 53);
        }
        else {
            // the keyspace may have grown since DBSIZE: never claim to be done before SCAN says so
            fraction = Math.min((double) scanned / total, 0.99);
        }
        Long eta = fraction <= 0 ? null : finished ? 0L : Math.round(seconds * (1 - fraction) / fraction);
        return new Reading(scanned, total, scanned / seconds, eta, fraction, seconds);
    }

    /**
     * The progress of several nodes scanned at once, as one: keys add up, the fraction is the nodes' fractions
     * weighted by their DBSIZE (equal weights when one is unknown), the time is the longest.
     */
    public static Reading combine(java.util.List<Reading> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        long scanned = 0;
        long total = 0;
        boolean totalsKnown = true;
        double seconds = 1e-3;
        for (Reading p : parts) {
            scanned += p.keysScanned();
            totalsKnown &= p.keysTotal() >= 0;
            total += Math.max(p.keysTotal(), 0);
            seconds = Math.max(seconds, p.elapsedSeconds());
        }
        double weighted = 0;
        for (Reading p : parts) {
            double weight = totalsKnown && total > 0 ? (double) p.keysTotal() / total : 1.0 / parts.size();
            weighted += weight * p.fraction();
        }
        boolean done = parts.stream().allMatch(p -> p.fraction() >= 1);
        double fraction = done ? 1 : Math.min(weighted, 0.99);
        Long eta = fraction <= 0 ? null : done ? 0L : Math.round(seconds * (1 - fraction) / fraction);
        return new Reading(scanned, totalsKnown ? total : -1, scanned / seconds, eta, fraction, seconds);
    }

    /**
     * @param keysScanned keys SCAN returned and that were looked at
     * @param keysTotal DBSIZE when the scan started, -1 if unknown
     * @param keysPerSecond average rate since the start
     * @param etaSeconds estimated seconds left, {@code null} before there is anything to go by
     * @param fraction 0 to 1
     * @param elapsedSeconds time since the start (until the end, once ended)
     */
    public record Reading(long keysScanned, long keysTotal, double keysPerSecond, Long etaSeconds, double fraction,
            double elapsedSeconds) {
    }
}
