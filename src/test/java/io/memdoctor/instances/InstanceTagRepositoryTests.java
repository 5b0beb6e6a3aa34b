package io.memdoctor.instances;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.config.SqlDialect;
import io.memdoctor.support.BothStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/** Instance tags on H2 and PostgreSQL with the real migrations: replaced, read in order, gone with the instance. */
@BothStores
class InstanceTagRepositoryTests {

    private static final InstanceId A = InstanceId.of("a");
    private static final InstanceId B = InstanceId.of("b");

    @Parameter
    BothStores.Store store;

    private InstanceTagRepository tags;

    @BeforeEach
    void setUp() {
        store.clear("instance_tag", "instance");
        for (String id : List.of("a", "b", "c")) {
            store.jdbc().update("INSERT INTO instance (id, name, url, source, created_at) VALUES (?, ?, ?, ?, ?)", id,
                    id, "redis://10.0.0.1:6379", "RUNTIME", Timestamp.from(Instant.EPOCH));
        }
        tags = new InstanceTagRepository(store.jdbc(), SqlDialect.of(store.dataSource()));
    }

    @Test
    void tagsAreReplacedWholeAndReadInOrder() {
        tags.replace(A, List.of("team:search", "env:prod", "critical"));
        tags.replace(B, List.of("env:staging"));
        assertThat(tags.tagsOf(A)).containsExactly("critical", "env:prod", "team:search");

        tags.replace(A, List.of("env:prod", "owner:ünïcode-✓"));
        tags.replace(A, List.of("env:prod", "owner:ünïcode-✓"));
        assertThat(tags.tagsOf(A)).as("replaced twice: the same two").containsExactly("env:prod", "owner:ünïcode-✓");
        assertThat(tags.tagsOfAll()).containsExactly(Map.entry(A, List.of("env:prod", "owner:ünïcode-✓")),
                Map.entry(B, List.of("env:staging")));

        tags.replace(B, List.of());
        assertThat(tags.tagsOf(B)).isEmpty();
        assertThat(tags.tagsOfAll()).containsOnlyKeys(A);
        assertThat(tags.tagsOf(InstanceId.of("c"))).isEmpty();
    }

    @Test
    void aRemovedInstanceTakesItsTagsWithIt() {
        tags.replace(A, List.of("x".repeat(64), "env:prod"));
        tags.replace(B, List.of("env:prod"));
        store.jdbc().update("DELETE FROM instance WHERE id = 'a'");
        assertThat(tags.tagsOf(A)).isEmpty();
        assertThat(tags.tagsOfAll()).containsOnlyKeys(B);
    }
}
