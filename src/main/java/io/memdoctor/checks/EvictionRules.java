package io.memdoctor.checks;

import java.util.Comparator;
import java.util.List;

import io.memdoctor.format.Units;
import io.memdoctor.snapshots.Metric;

import static io.memdoctor.format.Units.count;
import static io.memdoctor.format.Units.percent;
import static io.memdoctor.format.Units.utc;

/**
 * Whether the eviction policy matches how keys are used: {@code eviction-noeviction},
 * {@code eviction-volatile-without-ttl} and {@code keys-without-ttl}.
 */
final class EvictionRules {

    /** "Most keys carry a TTL": the instance is used as a cache. */
    static final double CACHE_LIKE_TTL_SHARE = 0.5;
    /** Under this share of keys with a TTL, a volatile-* policy has too little to evict. */
    static final double VOLATILE_MIN_TTL_SHARE = 0.5;
    /** A fall of the TTL share by this much in the recent history looks like a deploy that dropped TTLs. */
    static final double TTL_SHARE_DROP = 0.2;

    private EvictionRules() {
    }

    static CheckResult noeviction(CheckContext c) {
        String id = "eviction-noeviction";
        String policy = c.text(Metric.MAXMEMORY_POLICY);
        if (policy == null) {
            return CheckResult.unknown(id, "Eviction policy", "INFO did not report maxmemory_policy.");
        }
        if (!"noeviction".equals(policy)) {
            return CheckResult.ok(id, "Eviction policy " + policy, "maxmemory-policy " + policy + ".");
        }
        long oom = c.history().oomErrors();
        long oomTotal = c.valueOr(Metric.ERRORSTAT_OOM, 0);
        Double share = c.ttlShare();
        String keys = keysEvidence(c);
        String remedy = "CONFIG SET maxmemory-policy allkeys-lru   # a cache: evict instead of refusing writes\n"
                + "# or volatile-lru if only keys with a TTL may go\nCONFIG REWRITE   # or in redis.conf: maxmemory-policy allkeys-lru";
        if (oom > 0) {
            return new CheckResult(id, CheckSeverity.CRITICAL, "Writes refused: noeviction at maxmemory",
                    "errorstat_OOM grew by " + count(oom) + " in the last " + Units.duration(c.history().window())
                            + " (" + count(oomTotal) + " since start): writes failed with OOM at maxmemory "
                            + Units.bytes(c.value(Metric.MAXMEMORY)) + ", used_memory "
                            + Units.bytes(c.value(Metric.USED_MEMORY)) + "; " + keys,
                    remedy + "\n# if no key may be lost: raise maxmemory (see maxmemory-headroom) or delete data");
        }
        if (share != null && share >= CACHE_LIKE_TTL_SHARE) {
            return new CheckResult(id, CheckSeverity.WARNING,
                    "noeviction on what looks like a cache: at maxmemory writes will fail",
                    "maxmemory-policy noeviction; " + keys + " A cache should evict, not refuse writes.", remedy);
        }
        String evidence = "maxmemory-policy noeviction; " + keys
                + (oomTotal > 0 ? " errorstat_OOM " + count(oomTotal) + " since start, none recently." : "");
        return CheckResult.ok(id, "noeviction on a store whose keys mostly have no TTL (a database: nothing may be lost)",
                evidence);
    }

    static CheckResult volatileWithoutTtl(CheckContext c) {
        String id = "eviction-volatile-without-ttl";
        String policy = c.text(Metric.MAXMEMORY_POLICY);
        if (policy == null) {
            return CheckResult.unknown(id, "volatile-* policy and TTLs", "INFO did not report maxmemory_policy.");
        }
        if (!policy.startsWith("volatile-")) {
            return CheckResult.ok(id, "Policy " + policy + " does not depend on TTLs", "maxmemory-policy " + policy + ".");
        }
        Double share = c.ttlShare();
        if (share == null) {
            return CheckResult.ok(id, "No keys yet", "maxmemory-policy " + policy + "; the keyspace is empty.");
        }
        if (share >= VOLATILE_MIN_TTL_SHARE) {
            return CheckResult.ok(id, policy + " has keys with a TTL to evict", "maxmemory-policy " + policy + "; "
                    + keysEvidence(c));
        }
        boolean none = c.valueOr(Metric.EXPIRES, 0) == 0;
        return new CheckResult(id, none ? CheckSeverity.CRITICAL : CheckSeverity.WARNING,
                policy + " with " + (none ? "no key" : "few keys") + " carrying a TTL: eviction cannot free memory",
                "maxmemory-policy " + policy + " evicts only keys with a TTL; " + keysEvidence(c)
                        + " Once those are gone, writes fail with OOM at maxmemory.",
                "CONFIG SET maxmemory-policy allkeys-lru   # if every key is disposable\n"
                        + "# otherwise give every cache key a TTL: SET key value EX <seconds>, or EXPIRE key <seconds>");
    }

    static CheckResult keysWithoutTtl(CheckContext c) {
        String id = "keys-without-ttl";
        Long keys = c.value(Metric.KEYS);
        Long expires = c.value(Metric.EXPIRES);
        if (keys == null || expires == null) {
            return CheckResult.unknown(id, "Keys without a TTL", "INFO keyspace was not reported.");
        }
        if (keys == 0) {
            return CheckResult.ok(id, "No keys", "The keyspace is empty.");
        }
        long without = Math.max(0, keys - expires);
        double share = (double) without / keys;
        String evidence = count(without) + " of " + count(keys) + " keys (" + percent(share) + ") have no TTL"
                + patterns(c);
        Double highest = c.history().highestTtlShare();
        double now = 1 - share;
        if (highest != null && keys >= HistoryFacts.MIN_KEYS_FOR_SHARE && highest - now >= TTL_SHARE_DROP) {
            return new CheckResult(id, CheckSeverity.WARNING, "Keys are losing their TTL",
                    "Keys with a TTL fell from " + percent(highest) + " (" + utc(c.history().highestTtlShareAt())
                            + ") to " + percent(now) + " now; " + evidence
                            + " New keys are written without expiry (a deploy that dropped EX/EXPIRE?), so they pile up.",
                    "# find the writer: which keys lack a TTL?\nredis-cli --scan --count 1000 | head -1000 | "
                            + "while read k; do echo \"$(redis-cli TTL \"$k\") $k\"; done | grep '^-1 '\n"
                            + "# then restore the expiry in the code (SET key value EX <seconds>) and backfill:"
                            + " EXPIRE key <seconds>");
        }
        if (without == 0) {
            return CheckResult.ok(id, "Every key has a TTL", evidence);
        }
        if (share >= 0.999) {
            return new CheckResult(id, CheckSeverity.INFO, "No key has a TTL",
                    evidence + " Fine for a database; a cache needs TTLs (or an allkeys-* policy) to stay bounded.", "");
        }
        return new CheckResult(id, CheckSeverity.INFO, percent(share) + " of keys have no TTL", evidence
                + " A steady share is a design choice; a growing one is keys that will never leave.", "");
    }

    private static String keysEvidence(CheckContext c) {
        Double share = c.ttlShare();
        if (share == null) {
            return "no keys yet.";
        }
        return count(c.value(Metric.EXPIRES)) + " of " + count(c.value(Metric.KEYS)) + " keys (" + percent(share)
                + ") carry a TTL.";
    }

    private static String patterns(CheckContext c) {
        if (c.scan().isEmpty() || c.scan().get().patterns().isEmpty()) {
            return ".";
        }
        List<LatestScanSummary.PatternTtl> top = c.scan().get().patterns().stream()
                .filter(p -> p.withoutTtl() > 0)
                .sorted(Comparator.comparingLong(LatestScanSummary.PatternTtl::withoutTtl).reversed()).limit(5).toList();
        if (top.isEmpty()) {
            return "; the latest scan found no pattern without TTLs.";
        }
        StringBuilder out = new StringBuilder("; most keys without a TTL, by pattern (scan of "
                + utc(c.scan().get().finishedAt()) + "): ");
        for (int i = 0; i < top.size(); i++) {
            LatestScanSummary.PatternTtl p = top.get(i);
            out.append(i == 0 ? "" : ", ").append(p.pattern()).append(' ').append(count(p.withoutTtl())).append('/')
                    .append(count(p.keys()));
        }
        return out.append('.').toString();
    }
}
