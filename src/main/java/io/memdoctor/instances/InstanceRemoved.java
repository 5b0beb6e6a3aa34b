package io.memdoctor.instances;

/**
 * Published when an instance is removed, inside the removing transaction: listeners drop what they hold about it.
 *
 * @param id the removed instance
 */
public record InstanceRemoved(InstanceId id) {
}
