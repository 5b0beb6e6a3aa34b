package io.memdoctor.instances;

/**
 * Published when an instance's declared memory limit is set or cleared: what was computed against the old ceiling
 * (a cached forecast) is made again.
 *
 * @param id the instance
 */
public record MemoryLimitChanged(InstanceId id) {
}
