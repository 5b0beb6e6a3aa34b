package io.memdoctor.checks;

import java.util.List;
import java.util.function.Function;

import io.memdoctor.snapshots.Metric;

/** The catalogue of checks, in the order they are shown. Pure: a {@link CheckContext} in, results out. */
final class ConfigChecks {

    /** Every check id, in order. */
    static final List<String> IDS = List.of("maxmemory-unset", "maxmemory-headroom", "maxmemory-above-limit",
            "eviction-noeviction", "eviction-volatile-without-ttl", "keys-without-ttl", "fragmentation-high",
            "fragmentation-below-one", "activedefrag-off", "activedefrag-unsupported", "memory-peak", "client-buffers",
            "replica-buffers", "cached-scripts", "big-keys", "memory-trend");

    private static final List<Function<CheckContext, CheckResult>> RULES = List.of(
            MemoryLimitRules::maxmemoryUnset, MemoryLimitRules::headroom, DeclaredLimitRules::maxmemoryAboveLimit,
            EvictionRules::noeviction, EvictionRules::volatileWithoutTtl, EvictionRules::keysWithoutTtl,
            FragmentationRules::high, FragmentationRules::belowOne, FragmentationRules::activedefragOff,
            FragmentationRules::activedefragUnsupported, MemoryLimitRules::memoryPeak, DoctorParityRules::clientBuffers,
            DoctorParityRules::replicaBuffers, DoctorParityRules::cachedScripts, DoctorParityRules::bigKeys,
            MemoryLimitRules::memoryTrend);

    private ConfigChecks() {
    }

    static List<CheckResult> evaluate(CheckContext context) {
        if (context.latest() == null || context.latest().get(Metric.USED_MEMORY) == null) {
            return IDS.stream().map(id -> CheckResult.unknown(id, id,
                    "No successful sample of this instance yet: the checks read its INFO.")).toList();
        }
        return RULES.stream().map(rule -> rule.apply(context)).toList();
    }
}
