package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.count;
import static io.memdoctor.diagnosis.Text.utc;

/**
 * At the ceiling: writes refused with OOM (CRITICAL), or keys evicted. Evictions are what an {@code allkeys-*}
 * cache is for (INFO); under a {@code volatile-*} policy they take the keys meant to live longest (WARNING).
 */
final class PressureNarrator {

    private PressureNarrator() {
    }

    static Finding narrate(Signals s) {
        long maxmemory = Signals.v(s.last, Metric.MAXMEMORY);
        String reported = s.last.getText(Metric.MAXMEMORY_POLICY);
        String policy = reported == null ? "unknown" : reported;
        long oom = s.oom.total();
        long evicted = s.evicted.total();
        List<String> evidence = new ArrayList<>();
        if (oom > 0) {
            evidence.add("errorstat_OOM grew by " + count(oom) + ": writes refused with OOM from "
                    + utc(s.oom.firstGrowth().timestamp()) + ".");
        }
        if (evicted > 0) {
            evidence.add("evicted_keys grew by " + count(evicted) + " from " + utc(s.evicted.firstGrowth().timestamp()) + ".");
        }
        evidence.add("used_memory " + bytes(s.usedPeak()) + " at its highest (" + utc(s.usedTop.timestamp())
                + ") against maxmemory " + (maxmemory > 0 ? bytes(maxmemory) : "0 (unset)") + "; maxmemory-policy "
                + policy + ".");
        evidence.add(s.usedLine());
        evidence.add(s.datasetLine());
        evidence.add(s.keysLine());
        boolean refusing = oom > 0 || "noeviction".equals(policy);
        String summary = refusing
                ? "Memory pressure: at maxmemory " + bytes(maxmemory) + " under " + policy + ", Redis refused "
                        + count(oom) + " write(s) with OOM."
                : "Memory pressure: at maxmemory " + bytes(maxmemory) + ", " + (reported == null ? "Redis" : reported)
                        + " evicted " + count(evicted) + " key(s) to make room.";
        Severity severity = refusing ? Severity.CRITICAL
                : policy.startsWith("allkeys") ? Severity.INFO : Severity.WARNING;
        if (severity == Severity.INFO) {
            summary += " That is what " + policy + " is for: a cache at its size; it matters only if the hit rate drops.";
        }
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " INFO memory   # used_memory against maxmemory, and what is not data (used_memory_overhead)");
        steps.add(s.cli + " INFO keyspace   # how many keys carry a TTL");
        if (refusing) {
            steps.add("If this is a cache, let it evict: " + s.cli + " CONFIG SET maxmemory-policy allkeys-lru");
            steps.add("If no key may be lost, raise the ceiling where the host allows it (see the maxmemory-headroom"
                    + " check): " + s.cli + " CONFIG SET maxmemory <size>");
        }
        else {
            steps.add("Evictions are what " + policy + " is for; if the hit rate suffers (keyspace_hits / misses),"
                    + " give it more memory or store less.");
        }
        steps.add("Find what filled it: " + s.cli + " --bigkeys   (on a replica if you can: it scans every key)");
        steps.add("Ask what changed: a deploy that dropped TTLs, a consumer that stopped, a new batch job?");
        return new Finding(Verdict.MEMORY_PRESSURE, severity, summary, evidence, steps);
    }
}
