package io.memdoctor.instances;

import io.memdoctor.support.PostgresStore;

/** Every {@link InstanceRepositoryTests} test on a private PostgreSQL database. */
@PostgresStore
class InstanceRepositoryPostgresTests extends InstanceRepositoryTests {
}
