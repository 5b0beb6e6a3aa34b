package io.memdoctor.sampling;

import io.memdoctor.snapshots.Snapshot;

/**
 * A sample was stored (OK or failed), published on the sampler's worker thread right after the write: listeners
 * (alert rules) must be quick and must not throw.
 *
 * @param snapshot the stored sample
 */
public record SnapshotStored(Snapshot snapshot) {
}
