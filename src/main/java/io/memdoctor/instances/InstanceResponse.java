package io.memdoctor.instances;

import java.time.Instant;
import java.util.List;

/**
 * An instance as the API shows it: the URL is always redacted.
 *
 * @param id slug of the name
 * @param name display name
 * @param url the URL with the password as {@code ***}
 * @param source CONFIG or RUNTIME
 * @param status OK, UNREACHABLE, ERROR or PENDING
 * @param lastSampleAt time of the newest sample
 * @param downSince start of the current outage, {@code null} while up
 * @param reason why the newest sample failed
 * @param kind SERVER (sampled) or CLUSTER (its nodes are instances of their own: {@code /topology})
 * @param cluster for a node of a cluster, the cluster's id; {@code null} otherwise
 * @param tags the instance's tags ({@code env:prod}, {@code team:search}), sorted
 * @param memoryLimit the memory limit declared for it in bytes (its container's), {@code null} when none is: the
 *     ceiling is then maxmemory, or the host's memory
 */
public record InstanceResponse(String id, String name, String url, String source, String status,
        Instant lastSampleAt, Instant downSince, String reason, String kind, String cluster, List<String> tags,
        Long memoryLimit) {

    public static InstanceResponse of(Instance instance, InstanceStatus status) {
        return of(instance, status, List.of());
    }

    public static InstanceResponse of(Instance instance, InstanceStatus status, List<String> tags) {
        return new InstanceResponse(instance.id().value(), instance.name(), instance.url().redacted(),
                instance.source().name(), status.state(), status.lastSampleAt(), status.downSince(), status.reason(),
                instance.kind().name(), instance.cluster() == null ? null : instance.cluster().value(),
                List.copyOf(tags), instance.memoryLimit());
    }
}
