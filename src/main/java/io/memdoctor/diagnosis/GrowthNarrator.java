package io.memdoctor.diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.memdoctor.snapshots.GrowthTrend;
import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.count;
import static io.memdoctor.diagnosis.Text.pct;
import static io.memdoctor.diagnosis.Text.utc;

/**
 * The dataset keeps climbing. Which growth: keys that lost their TTL (new keys arrive without one), more keys, or
 * existing keys that grow (the count is flat). Severity from when the ceiling is reached at this rate.
 */
final class GrowthNarrator {

    /** A key count that grew by more than this share (and 100 keys) is "more keys". */
    static final double MORE_KEYS = 0.05;
    /** New keys of which fewer than this share carry a TTL, where most did before: TTLs were lost. */
    static final double NEW_KEYS_TTL_SHARE = 0.5;

    private GrowthNarrator() {
    }

    static Finding narrate(Signals s) {
        GrowthTrend trend = s.dataset;
        long grown = (long) (trend.last() - trend.first());
        long keysFirst = Signals.v(s.first, Metric.KEYS);
        long keysLast = Signals.v(s.last, Metric.KEYS);
        long newKeys = keysLast - keysFirst;
        long newExpiring = Signals.v(s.last, Metric.EXPIRES) - Signals.v(s.first, Metric.EXPIRES);
        Double shareFirst = s.ttlShare(s.first);
        Double shareLast = s.ttlShare(s.last);
        boolean moreKeys = newKeys > Math.max(100, (long) (MORE_KEYS * keysFirst));
        boolean ttlLost = shareFirst != null && shareLast != null && (shareFirst - shareLast >= 0.2
                || moreKeys && shareFirst >= NEW_KEYS_TTL_SHARE && (double) newExpiring / newKeys < NEW_KEYS_TTL_SHARE);
        String cause = ttlLost ? "ttl-lost" : moreKeys ? "more-keys" : "keys-grow";
        String words = switch (cause) {
            case "ttl-lost" -> "keys lost their TTL: new keys arrive without one (" + count(newKeys) + " more keys, "
                    + count(Math.max(0, newExpiring)) + " more with a TTL)";
            case "more-keys" -> "more keys: " + count(keysFirst) + " → " + count(keysLast) + ", about "
                    + bytes(grown / Math.max(1, newKeys)) + " per new key";
            default -> "existing keys grow (the key count is flat at " + count(keysLast)
                    + "): a list, set, hash or stream never trimmed";
        };
        List<String> evidence = new ArrayList<>();
        evidence.add(s.usedLine());
        boolean datasetReported = s.part(Metric.USED_MEMORY_DATASET).reported();
        boolean luaCounted = UpgradeNarrator.countsLua(s.last) && s.last.getLong(Metric.USED_MEMORY_VM_EVAL) != null;
        evidence.add((!datasetReported ? "used_memory (this server does not report the dataset) "
                : luaCounted ? "used_memory_dataset without the Lua VM (used_memory_vm_eval, which 7.4+ counts there) "
                : "used_memory_dataset ")
                + bytes((long) trend.first()) + " → " + bytes((long) trend.last()) + ", trend " + Signals.rate(trend)
                + ", R² " + Text.r2(trend.rSquared()) + ": it keeps climbing.");
        evidence.add("RSS " + bytes(s.rssFirst()) + " → " + bytes(s.rssLast()) + ": it follows the data.");
        evidence.add(s.keysLine());
        s.biggestFork().filter(fork -> Diagnoser.significantCow(s, fork))
                .ifPresent(fork -> evidence.add(CopyOnWriteNarrator.forkLine(fork)));
        Optional<Instant> full = s.used.reaches(s.limit());
        full.ifPresent(at -> evidence.add("At this rate used_memory reaches " + s.limitName() + " " + bytes(s.limit())
                + " around " + utc(at) + "."));
        evidence.add(s.headroomLine());
        Severity severity = full.map(at -> Duration.between(s.used.to(), at))
                .map(left -> left.compareTo(Duration.ofHours(1)) < 0 ? Severity.CRITICAL
                        : left.compareTo(Duration.ofDays(1)) < 0 ? Severity.WARNING : Severity.INFO)
                // no ceiling known: nothing tells how far away trouble is
                .orElse(s.limit() <= 0 ? Severity.WARNING : Severity.INFO);
        String summary = "Data growth: the dataset climbed by " + bytes(grown) + " (" + Signals.rate(trend)
                + ") and has not fallen back; " + words + ".";
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " INFO memory   # used_memory_dataset vs used_memory_overhead: data, not overhead");
        steps.add(s.cli + " DBSIZE   # and INFO keyspace: keys=" + count(keysLast) + ", expires="
                + count(Signals.v(s.last, Metric.EXPIRES)) + " now");
        if (ttlLost) {
            steps.add("Keys with a TTL went from " + pct(shareFirst) + " to " + pct(shareLast) + ": run a keyspace scan"
                    + " (its patterns show which keys have no TTL), or " + s.cli + " --scan --count 1000, then TTL <key>"
                    + " gives -1; find the deploy that stopped setting EX/EXPIRE.");
        }
        else if (moreKeys) {
            steps.add("Run a keyspace scan, then compare it with an earlier one: the pattern whose count grows is the"
                    + " feature that stores more.");
        }
        steps.add(s.cli + " --bigkeys   # one structure growing without bound? (on a replica if you can)");
        steps.add(s.cli + " MEMORY USAGE <key>   # bytes of a suspect; then LTRIM lists, EXPIRE transient keys, split big hashes");
        long maxmemory = Signals.v(s.last, Metric.MAXMEMORY);
        if (maxmemory == 0) {
            steps.add("Set a ceiling before the host runs out: " + s.cli + " CONFIG SET maxmemory <size>, with an"
                    + " eviction policy that matches the workload (allkeys-lru for a cache).");
        }
        else if ("noeviction".equals(s.last.getText(Metric.MAXMEMORY_POLICY))) {
            steps.add("At maxmemory " + bytes(maxmemory) + " noeviction will refuse writes: for a cache, "
                    + s.cli + " CONFIG SET maxmemory-policy allkeys-lru");
        }
        steps.add("Ask what changed: a deploy that removed TTLs, a queue consumer that stopped, a feed never trimmed?");
        return new Finding(Verdict.DATA_GROWTH, s.weighed(severity), summary, evidence, steps, cause);
    }
}
