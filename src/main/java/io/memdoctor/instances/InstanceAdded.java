package io.memdoctor.instances;

/**
 * Published when an instance is added at runtime, so it is sampled at once instead of at the next tick.
 *
 * @param instance the new instance
 */
public record InstanceAdded(Instance instance) {
}
