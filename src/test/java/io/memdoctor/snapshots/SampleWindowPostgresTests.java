package io.memdoctor.snapshots;

import io.memdoctor.support.PostgresStore;

/** Every {@link SampleWindowTests} test on a private PostgreSQL database. */
@PostgresStore
class SampleWindowPostgresTests extends SampleWindowTests {
}
