package io.memdoctor.sampling;

import java.util.Set;

import io.memdoctor.instances.InstanceId;

/**
 * With replicas ({@link SamplingOwnership#shared()}), the instances this replica began or stopped sampling at a tick
 * (or took at their addition). Published synchronously before the tick's samples start, so a listener that keeps
 * per-instance state (the alert engine) reloads a gained instance's from the database before its first sample here.
 * An instance handed over is sampled here a last time at its tick and counts as lost at the next one.
 *
 * @param gained instances this replica samples from now on
 * @param lost instances another replica samples from now on
 */
public record SamplingOwnershipChanged(Set<InstanceId> gained, Set<InstanceId> lost) {

    public SamplingOwnershipChanged {
        gained = Set.copyOf(gained);
        lost = Set.copyOf(lost);
    }
}
