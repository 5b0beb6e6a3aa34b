package io.memdoctor.incidents;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.memdoctor.checks.CheckResult;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.Verdict;

/**
 * What an incident captured on a cluster froze of one of its nodes: the same facts, checks, diagnosis and samples as
 * an incident of a single server, labelled with the node's place in the cluster.
 *
 * @param address {@code host:port} as the cluster announces it
 * @param role PRIMARY or REPLICA at capture time
 * @param primary a replica's primary ({@code host:port}), {@code null} for a primary
 * @param slots a primary's slot ranges, {@code ""} for a replica
 * @param instanceId the instance the node is sampled as
 * @param status the status of the sample taken at capture time: OK, UNREACHABLE, ERROR; GONE when the node was no
 *     longer watched
 * @param error why that sample failed, {@code null} when it did not
 * @param facts Redis' answers by name, as for a server (refused with the reason when the node did not answer)
 * @param checks the node's checks; empty when it did not answer (they would wait for it again)
 * @param diagnosis the node's diagnosis of the window, {@code null} when none could be made
 * @param samples the node's samples of the window (fewer points per node than a server's incident keeps)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeCapture(String address, String role, String primary, String slots, String instanceId, String status,
        String error, Map<String, Fact> facts, List<CheckResult> checks, Diagnosis diagnosis,
        List<Map<String, Object>> samples) {

    public NodeCapture {
        slots = slots == null ? "" : slots;
        facts = facts == null ? Map.of() : new LinkedHashMap<>(facts);
        checks = checks == null ? List.of() : List.copyOf(checks);
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /** Whether the node answered the sample taken at capture time. */
    public boolean answered() {
        return "OK".equals(status);
    }

    /** "host:port (primary, slots 0-5460)" or "host:port (replica of host:port)", for headings and verdicts. */
    public String label() {
        return address + " (" + ("PRIMARY".equals(role) ? "primary" + (slots.isEmpty() ? ", no slots"
                : ", slots " + shortSlots(slots)) : "replica" + (primary == null ? "" : " of " + primary)) + ")";
    }

    /** The same node with other facts, checks and diagnosis (slow log hidden, key names redacted). */
    public NodeCapture with(Map<String, Fact> otherFacts, List<CheckResult> otherChecks, Diagnosis otherDiagnosis) {
        return new NodeCapture(address, role, primary, slots, instanceId, status, error, otherFacts, otherChecks,
                otherDiagnosis, samples);
    }

    /**
     * The node whose finding matters most, the one a cluster incident's verdict names: the most severe, a real cause
     * before "stable", a primary before a replica, then topology order. {@code null} when none was diagnosed.
     */
    public static NodeCapture mostSerious(List<NodeCapture> nodes) {
        return nodes.stream().filter(n -> n.diagnosis() != null).max(Comparator
                        .comparingInt((NodeCapture n) -> n.diagnosis().severity().ordinal())
                        .thenComparing(n -> n.diagnosis().verdict() != Verdict.STABLE
                                && n.diagnosis().verdict() != Verdict.INSUFFICIENT_DATA)
                        .thenComparing(n -> "PRIMARY".equals(n.role()))
                        .thenComparing(n -> -nodes.indexOf(n)))
                .orElse(null);
    }

    static String shortSlots(String slots) {
        return slots.length() > 40 ? slots.substring(0, 37) + "..." : slots;
    }
}
