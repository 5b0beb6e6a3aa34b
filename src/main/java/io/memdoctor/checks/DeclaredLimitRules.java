package io.memdoctor.checks;

import io.memdoctor.snapshots.Metric;

import static io.memdoctor.format.Units.bytes;
import static io.memdoctor.format.Units.conf;
import static io.memdoctor.format.Units.percent;

/**
 * maxmemory against the memory limit declared for the instance (its container's, which Redis cannot see):
 * {@code maxmemory-above-limit}. Set above the limit (maxmemory 2gb in a 1 GiB pod), eviction never starts before
 * the OOM killer does.
 */
final class DeclaredLimitRules {

    /**
     * The share of the declared limit a suggested maxmemory takes: the rest is headroom for fork copy-on-write,
     * client buffers and fragmentation, which the container's limit counts (RSS) and maxmemory does not.
     */
    static final double SHARE = 0.75;
    /** Where a limit is declared, as the texts name it. */
    static final String SETTING = "memdoctor.instances[N].memory-limit, PUT /api/instances/{id}/memory-limit,"
            + " or Memory limit on the instance page";

    private DeclaredLimitRules() {
    }

    /** {@link #SHARE} of the limit, in whole megabytes. */
    static long suggested(long limit) {
        long bytes = (long) (limit * SHARE);
        return bytes - bytes % (1024 * 1024);
    }

    static CheckResult maxmemoryAboveLimit(CheckContext c) {
        String id = "maxmemory-above-limit";
        Long maxmemory = c.value(Metric.MAXMEMORY);
        Long limit = c.memoryLimit();
        if (limit == null) {
            return CheckResult.ok(id, "No memory limit declared",
                    "No memory limit is declared for this instance, so maxmemory is compared with the host's memory"
                            + " (total_system_memory). In a container, INFO shows the host, not the container's limit:"
                            + " declare it (" + SETTING + ").");
        }
        if (maxmemory == null) {
            return CheckResult.unknown(id, "maxmemory against the memory limit", "INFO did not report maxmemory.");
        }
        String size = conf(suggested(limit));
        if (maxmemory == 0) {
            return new CheckResult(id, CheckSeverity.INFO, "No maxmemory under the memory limit",
                    "maxmemory 0 (no limit) under the " + bytes(limit) + " memory limit (declared); see"
                            + " maxmemory-unset.", "");
        }
        String evidence = "maxmemory " + bytes(maxmemory) + " (" + maxmemory + " bytes); memory limit (declared) "
                + bytes(limit) + " (" + limit + " bytes): maxmemory is " + percent((double) maxmemory / limit)
                + " of the limit; used_memory " + bytes(c.value(Metric.USED_MEMORY)) + ", RSS "
                + bytes(c.value(Metric.USED_MEMORY_RSS)) + ".";
        if (maxmemory <= limit) {
            return CheckResult.ok(id, "maxmemory is under the memory limit", evidence);
        }
        return new CheckResult(id, CheckSeverity.CRITICAL,
                "maxmemory is above the memory limit: the OOM killer comes before eviction",
                evidence + " Redis evicts (or refuses writes) only at maxmemory, but the container is killed at its"
                        + " limit, which counts RSS: allocator overhead, buffers and a fork's copy-on-write on top of"
                        + " used_memory.",
                "CONFIG SET maxmemory " + size + "\nCONFIG REWRITE   # or in redis.conf: maxmemory " + size + "\n# "
                        + size + " is about " + percent(SHARE) + " of the " + bytes(limit) + " limit: the rest is"
                        + " headroom for fork copy-on-write, client buffers and fragmentation (see maxmemory-headroom)."
                        + "\n# or raise the container's memory limit above maxmemory with the same headroom, then"
                        + " declare the new limit here.");
    }
}
