package io.memdoctor.scans.store;

import io.memdoctor.support.PostgresStore;

/** Every {@link ScanRepositoryTests} test on a private PostgreSQL database. */
@PostgresStore
class ScanRepositoryPostgresTests extends ScanRepositoryTests {
}
