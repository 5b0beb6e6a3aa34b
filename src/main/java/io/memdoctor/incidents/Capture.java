package io.memdoctor.incidents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.memdoctor.checks.CheckResult;
import io.memdoctor.diagnosis.Diagnosis;

/**
 * Everything frozen at the moment of an incident: the Redis facts, the checks and the diagnosis as they stood, the
 * samples of the window (copied, so the incident outlives retention and travels whole in an export), the live scan
 * taken with it and the analysis of an RDB file attached later (a backup of the time): both can be there, side by
 * side, since they answer different questions (what the server held then, what the backup held).
 *
 * @param facts Redis answers by name ({@code info}, {@code memoryStats}, {@code slowlog}, ...), in capture order
 * @param checks the checks at capture time
 * @param diagnosis the diagnosis of the window
 * @param samples the window's samples as the snapshots API answers them ({@code timestamp}, {@code status},
 *     metrics in camelCase), at most {@link IncidentCapture#MAX_POINTS}
 * @param scan the live keyspace scan, {@code null} when none was asked for
 * @param rdb the attached RDB file's report ({@link ScanAttachment#rdb()} says which file), {@code null} when none;
 *     absent from the JSON then. Incidents stored or exported before both could be held kept an RDB report in
 *     {@code scan}: it is moved here when read.
 * @param nodes for an incident captured on a cluster, every node's own capture, in topology order (the facts above
 *     are then empty, the checks are the checks across shards, the diagnosis is the most serious node's naming its
 *     shard, and the samples are that shard's); empty (and absent from the JSON) for a server
 */
public record Capture(Map<String, Fact> facts, List<CheckResult> checks, Diagnosis diagnosis,
        List<Map<String, Object>> samples, ScanAttachment scan,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScanAttachment rdb,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NodeCapture> nodes) {

    public Capture {
        facts = facts == null ? Map.of() : new LinkedHashMap<>(facts);
        checks = checks == null ? List.of() : List.copyOf(checks);
        samples = samples == null ? List.of() : List.copyOf(samples);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        if (rdb == null && scan != null && scan.rdb() != null) {
            rdb = scan;
            scan = null;
        }
    }

    /** A capture without an RDB report. */
    public Capture(Map<String, Fact> facts, List<CheckResult> checks, Diagnosis diagnosis,
            List<Map<String, Object>> samples, ScanAttachment scan) {
        this(facts, checks, diagnosis, samples, scan, null, List.of());
    }

    /** Whether it was captured on a cluster. */
    public boolean cluster() {
        return !nodes.isEmpty();
    }

    /** The same with the live scan's (new) state. */
    public Capture withScan(ScanAttachment attached) {
        return new Capture(facts, checks, diagnosis, samples, attached, rdb, nodes);
    }

    /** The same with an RDB file's report, in place of any earlier one. */
    public Capture withRdb(ScanAttachment attached) {
        return new Capture(facts, checks, diagnosis, samples, scan, attached, nodes);
    }

    /** The same with other facts, checks and diagnosis (redacted or hidden ones), keeping the keyspace reports. */
    public Capture withTexts(Map<String, Fact> otherFacts, List<CheckResult> otherChecks, Diagnosis otherDiagnosis) {
        return new Capture(otherFacts, otherChecks, otherDiagnosis, samples, scan, rdb, nodes);
    }

    /** The same with other node captures (a cluster's, redacted or hidden). */
    public Capture withNodes(List<NodeCapture> otherNodes) {
        return new Capture(facts, checks, diagnosis, samples, scan, rdb, otherNodes);
    }
}
