package io.memdoctor.instances;

import java.time.Instant;

/**
 * How an instance is doing, from its newest sample.
 *
 * @param state {@code OK}, {@code UNREACHABLE}, {@code ERROR}, or {@code PENDING} before the first sample
 * @param lastSampleAt time of the newest sample, {@code null} before the first
 * @param downSince when the current outage began, {@code null} while OK
 * @param reason why the newest sample failed, {@code null} while OK
 */
public record InstanceStatus(String state, Instant lastSampleAt, Instant downSince, String reason) {

    /** Before the first sample. */
    public static final InstanceStatus PENDING = new InstanceStatus("PENDING", null, null, null);

    public boolean down() {
        return downSince != null;
    }

    /** Tells the status of instances; implemented where samples are kept. */
    public interface Source {
        InstanceStatus statusOf(InstanceId id);
    }
}
