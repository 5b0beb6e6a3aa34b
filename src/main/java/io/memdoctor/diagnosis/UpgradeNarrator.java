package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.ServerIdentity;
import io.memdoctor.snapshots.Snapshot;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.signed;
import static io.memdoctor.diagnosis.Text.utc;

/**
 * The server changed between two samples: an upgrade (or a downgrade) restarted it under another version. Memory
 * before and after are two processes' figures, so a step between them is not growth. One change matters more than
 * the others: from Redis 7.4 on, {@code used_memory} counts the Lua VM of EVAL scripts ({@code used_memory_vm_eval}),
 * and not in {@code used_memory_overhead}, so it shows as dataset; an upgrade to 7.4 makes used_memory and the
 * dataset jump by about that much with no key added.
 */
final class UpgradeNarrator {

    /**
     * Two consecutive successful samples that name different servers.
     *
     * @param luaCounted whether the upgrade is the one to Redis 7.4+ that starts counting the Lua VM
     */
    record Upgrade(Snapshot before, Snapshot after, String from, String to, boolean luaCounted) {
    }

    private UpgradeNarrator() {
    }

    /** The last change of server within the samples (successful ones only), if any. */
    static Optional<Upgrade> find(List<Snapshot> ok) {
        for (int i = ok.size() - 1; i > 0; i--) {
            String from = ServerIdentity.of(ok.get(i - 1));
            String to = ServerIdentity.of(ok.get(i));
            if (from != null && to != null && !Objects.equals(from, to)) {
                boolean lua = countsLua(ok.get(i)) && !countsLua(ok.get(i - 1));
                return Optional.of(new Upgrade(ok.get(i - 1), ok.get(i), from, to, lua));
            }
        }
        return Optional.empty();
    }

    /** Redis (not Valkey) 7.4 or later: used_memory includes the Lua VM. */
    static boolean countsLua(Snapshot sample) {
        if (sample.getText(Metric.VALKEY_VERSION) != null || "valkey".equals(sample.getText(Metric.SERVER_NAME))) {
            return false;
        }
        String version = sample.getText(Metric.REDIS_VERSION);
        if (version == null) {
            return false;
        }
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 7 || major == 7 && minor >= 4;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    static Finding narrate(Signals s, Upgrade upgrade) {
        long usedBefore = value(upgrade.before(), Metric.USED_MEMORY);
        long usedAfter = value(upgrade.after(), Metric.USED_MEMORY);
        long lua = value(upgrade.after(), Metric.USED_MEMORY_VM_EVAL);
        List<String> evidence = new ArrayList<>();
        evidence.add(upgrade.from() + " at " + utc(upgrade.before().timestamp()) + ", " + upgrade.to() + " at "
                + utc(upgrade.after().timestamp()) + ".");
        evidence.add("used_memory " + bytes(usedBefore) + " → " + bytes(usedAfter) + " (" + signed(usedAfter - usedBefore)
                + ") across the change.");
        Long datasetBefore = upgrade.before().getLong(Metric.USED_MEMORY_DATASET);
        Long datasetAfter = upgrade.after().getLong(Metric.USED_MEMORY_DATASET);
        if (datasetBefore != null && datasetAfter != null) {
            evidence.add("used_memory_dataset " + bytes(datasetBefore) + " → " + bytes(datasetAfter) + ".");
        }
        List<String> steps = new ArrayList<>();
        String summary;
        if (upgrade.luaCounted()) {
            evidence.add("used_memory_vm_eval (the Lua VM) " + bytes(value(upgrade.before(), Metric.USED_MEMORY_VM_EVAL))
                    + " before, " + bytes(lua) + " after: counted in used_memory (and in the dataset) from 7.4 on,"
                    + " not before.");
            summary = "Server upgrade: " + upgrade.from() + " → " + upgrade.to() + ". The upgrade to 7.4 counts Lua VM"
                    + " memory in used_memory (" + bytes(lua) + " now): used_memory moved by "
                    + signed(usedAfter - usedBefore) + " across it, of which about " + bytes(lua) + " is Lua now"
                    + " counted, not data growth.";
            steps.add(s.cli + " INFO memory   # used_memory_vm_eval: the Lua VM, inside used_memory from 7.4 on");
            steps.add("Leave headroom for it against maxmemory: on 7.4+ the Lua VM counts towards eviction too.");
        }
        else {
            summary = "Server changed: " + upgrade.from() + " → " + upgrade.to() + " (a restart under another"
                    + " version): memory before and after are two processes' figures; the step between them is not"
                    + " growth.";
        }
        steps.add("Compare the trend after the change only: pick a range that starts after "
                + utc(upgrade.after().timestamp()) + ".");
        return new Finding(Verdict.SERVER_UPGRADE, Severity.INFO, summary, evidence, steps,
                upgrade.luaCounted() ? "lua-counted" : null);
    }

    private static long value(Snapshot sample, Metric metric) {
        Long value = sample.getLong(metric);
        return value == null ? 0 : value;
    }
}
