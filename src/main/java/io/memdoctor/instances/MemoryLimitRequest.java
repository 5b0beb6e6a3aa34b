package io.memdoctor.instances;

/**
 * Body of {@code PUT /api/instances/{id}/memory-limit}: the limit declared for the instance, replacing the old one.
 *
 * @param memoryLimit bytes ({@code 1073741824} for a 1 GiB container); {@code null} clears it
 */
public record MemoryLimitRequest(Long memoryLimit) {
}
