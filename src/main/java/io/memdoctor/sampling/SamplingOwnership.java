package io.memdoctor.sampling;

import java.util.List;

import io.memdoctor.instances.Instance;

/**
 * Which instances this dashboard samples at a tick. A single dashboard samples them all; replicas sharing one
 * database ({@code replicas.LeaseOwnership}) each sample the instances whose lease they hold, on ticks that fall on
 * multiples of the interval so every replica asks at the same moment.
 */
public interface SamplingOwnership {

    /** Every instance, every tick, on ticks counted from the start. */
    SamplingOwnership EVERYTHING = all -> all;

    /** The instances this dashboard samples at this tick, out of all of them (in the same order on every replica). */
    List<Instance> claim(List<Instance> all);

    /**
     * Whether this dashboard takes the first sample of an instance just added through it (at once, not at the next
     * tick). A single dashboard always does; a replica only under the instance's lease, which it then holds like
     * any other, so another replica does not sample the instance at its next tick too.
     */
    default boolean claimNew(Instance instance) {
        return true;
    }

    /** Whether ticks fall on multiples of the interval (wall clock) rather than on the start time plus intervals. */
    default boolean alignTicks() {
        return false;
    }

    /**
     * Whether several replicas share the instances: then each instance's state kept in memory (the alert rules') is
     * the sampling replica's, told by {@link SamplingOwnershipChanged}, and whatever every replica must show alike is
     * read from the database.
     */
    default boolean shared() {
        return false;
    }

    /** Called when sampling stops: gives the instances up to the others. */
    default void release() {
    }
}
