package io.memdoctor.incidents.store;

import io.memdoctor.support.PostgresStore;

/** Every {@link IncidentRepositoryTests} test on a private PostgreSQL database. */
@PostgresStore
class IncidentRepositoryPostgresTests extends IncidentRepositoryTests {
}
