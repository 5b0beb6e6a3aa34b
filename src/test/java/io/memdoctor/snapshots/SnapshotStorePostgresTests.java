package io.memdoctor.snapshots;

import io.memdoctor.support.PostgresStore;

/** Every {@link SnapshotStoreTests} test on a private PostgreSQL database. */
@PostgresStore
class SnapshotStorePostgresTests extends SnapshotStoreTests {
}
