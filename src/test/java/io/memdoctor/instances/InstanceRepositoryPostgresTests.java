package io.memdoctor.instances;

import java.time.Instant;
import java.util.List;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.support.OverlappingWrites;
import io.memdoctor.support.PostgresStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@link InstanceRepositoryTests} test on a private PostgreSQL database, and what only replicas sharing one
 * PostgreSQL meet (on H2 one process owns the file).
 */
@PostgresStore
class InstanceRepositoryPostgresTests extends InstanceRepositoryTests {

    @Autowired
    PlatformTransactionManager transactions;

    /**
     * Two replicas starting at once both write an instance's configured tags, each in its own transaction: the
     * second's INSERT waits for the first's rows, then must not fail on them (it stopped the replica's start).
     */
    @Test
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    void twoReplicasWritingTheSameConfiguredTagsAtOnceBothStart() throws Exception {
        InstanceRepository instances = new InstanceRepository(jdbc, BOX);
        InstanceTagRepository tags = new InstanceTagRepository(jdbc, SqlDialect.of(jdbc.getDataSource()));
        InstanceId id = new InstanceId("tagged-twice");
        instances.insert(new Instance(id, "tagged-twice", RedisUrl.of("redis://10.0.0.6:6379"),
                Instance.Source.CONFIG), Instant.now());
        try {
            OverlappingWrites.run(transactions, () -> tags.replace(id, List.of("env:prod", "team:a")),
                    () -> tags.replace(id, List.of("env:prod", "team:a")));
            assertThat(tags.tagsOf(id)).containsExactly("env:prod", "team:a");
        }
        finally {
            jdbc.update("DELETE FROM instance WHERE id = ?", id.value());
        }
    }
}
