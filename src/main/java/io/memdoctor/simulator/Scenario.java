package io.memdoctor.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.memdoctor.diagnosis.Verdict;

/** The situations of the field guide the simulator can drive a real Redis into, with the verdict each should get. */
public enum Scenario {

    UNBOUNDED_LIST("A feed list that is never trimmed", Verdict.DATA_GROWTH, UnboundedListWorkload::new),
    TTL_LOSS("Keys lose their TTL after a deploy", Verdict.DATA_GROWTH, TtlLossWorkload::new),
    FRAGMENTATION("Churn of differently sized values after a cleanup", Verdict.FRAGMENTATION, FragmentationWorkload::new),
    COPY_ON_WRITE("BGSAVE while heavy writes go on", Verdict.COPY_ON_WRITE, CopyOnWriteWorkload::new),
    MAXMEMORY_NOEVICTION("maxmemory reached under noeviction", Verdict.MEMORY_PRESSURE, MaxmemoryNoevictionWorkload::new),
    CLIENT_BUFFERS("A pub/sub subscriber that stopped reading", Verdict.CLIENT_BUFFERS, SlowSubscriberWorkload::new),
    REPLICA_PAUSED("A replica paused (SIGSTOP) while writes go on", Verdict.REPLICATION, PausedReplicaWorkload::new),
    SCRIPT_CACHE("A new Lua script on every call (EVAL; SCRIPT LOAD where EVAL scripts are evicted)", Verdict.SCRIPT_CACHE, ScriptFloodWorkload::new),
    HEALTHY("A healthy cache in steady state", Verdict.STABLE, HealthyWorkload::new);

    private final String description;
    private final Verdict expected;
    private final Supplier<Workload> workload;

    Scenario(String description, Verdict expected, Supplier<Workload> workload) {
        this.description = description;
        this.expected = expected;
        this.workload = workload;
    }

    /** kebab-case name, as the demo property takes it: {@code unbounded-list}, {@code copy-on-write}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    /** The verdict the diagnosis should reach. */
    public Verdict expected() {
        return expected;
    }

    Workload newWorkload() {
        return workload.get();
    }

    /** The scenario with that id ({@code ttl-loss}) or constant name ({@code TTL_LOSS}). */
    public static Scenario of(String name) {
        String wanted = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(s -> s.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'; one of "
                        + String.join(", ", Arrays.stream(values()).map(Scenario::id).toList())));
    }

    /** The redis-server arguments the scenario needs (a maxmemory and policy, for some). */
    public List<String> serverArgs() {
        return newWorkload().serverArgs();
    }
}
