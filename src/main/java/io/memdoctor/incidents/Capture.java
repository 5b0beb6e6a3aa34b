package io.memdoctor.incidents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.diagnosis.Diagnosis;

/**
 * Everything frozen at the moment of an incident: the Redis facts, the checks and the diagnosis as they stood, the
 * samples of the window (copied, so the incident outlives retention and travels whole in an export) and the scan.
 *
 * @param facts Redis answers by name ({@code info}, {@code memoryStats}, {@code slowlog}, ...), in capture order
 * @param checks the checks at capture time
 * @param diagnosis the diagnosis of the window
 * @param samples the window's samples as the snapshots API answers them ({@code timestamp}, {@code status},
 *     metrics in camelCase), at most {@link IncidentCapture#MAX_POINTS}
 * @param scan the keyspace scan, {@code null} when none was asked for
 */
public record Capture(Map<String, Fact> facts, List<CheckResult> checks, Diagnosis diagnosis,
        List<Map<String, Object>> samples, ScanAttachment scan) {

    public Capture {
        facts = facts == null ? Map.of() : new LinkedHashMap<>(facts);
        checks = checks == null ? List.of() : List.copyOf(checks);
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    public Capture withScan(ScanAttachment attached) {
        return new Capture(facts, checks, diagnosis, samples, attached);
    }
}
