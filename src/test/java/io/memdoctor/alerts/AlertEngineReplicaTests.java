package io.memdoctor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.MemoryLimits;
import io.memdoctor.sampling.SamplingOwnership;
import io.memdoctor.sampling.SamplingOwnershipChanged;
import io.memdoctor.support.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import static io.memdoctor.alerts.AlertEngineTests.MB;
import static io.memdoctor.alerts.AlertEngineTests.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two alert engines on one store, as two dashboard replicas: the one that takes an instance over reads its alerts
 * from the database (keeps the firing one, resolves it once), a replica that raced to insert the same alert or moved
 * a stale copy publishes nothing, one that lost the instance forgets it; a single dashboard still reads them all at
 * start. On H2 and on PostgreSQL, whose indexes differ (a generated column against a partial index).
 */
class AlertEngineReplicaTests {

    static final InstanceId CACHE = new InstanceId("cache");
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final SamplingOwnership LEASES = new SamplingOwnership() {
        @Override
        public List<io.memdoctor.instances.Instance> claim(List<io.memdoctor.instances.Instance> all) {
            return all;
        }

        @Override
        public boolean shared() {
            return true;
        }
    };

    /** One replica's engine, and what it published. */
    record Replica(AlertEngine engine, List<AlertTransition> told) {

        void gains(InstanceId id) {
            engine.onOwnershipChanged(new SamplingOwnershipChanged(Set.of(id), Set.of()));
        }

        void loses(InstanceId id) {
            engine.onOwnershipChanged(new SamplingOwnershipChanged(Set.of(), Set.of(id)));
        }

        List<AlertState> states() {
            return told.stream().map(t -> t.alert().state()).toList();
        }
    }

    static Replica replica(Stores store, SamplingOwnership ownership, Duration memoryHighFor) {
        JdbcTemplate jdbc = new JdbcTemplate(store.dataSource());
        RuleSettings settings = new RuleSettings(jdbc);
        // the forecast rule would ask a ForecastService: not what these tests are about
        settings.save(List.of(new RuleSetting(AlertRule.FORECAST_FULL, null, false, 6.0, Duration.ZERO),
                new RuleSetting(AlertRule.MEMORY_HIGH, null, true, 90.0, memoryHighFor)));
        List<AlertTransition> told = new CopyOnWriteArrayList<>();
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("ownership", ownership));
        ObjectProvider<SamplingOwnership> owner = beans.getBeanProvider(SamplingOwnership.class);
        // no memory limit declared for any instance (the memory-high rule asks): not what these tests are about either
        MemoryLimits limits = org.mockito.Mockito.mock(MemoryLimits.class);
        AlertEngine engine = new AlertEngine(null, limits, settings, new AlertRepository(jdbc,
                JsonMapper.builder().build()),
                null, new CriticalChecks(beans.getBeanProvider(io.memdoctor.checks.CheckService.class)),
                beans.getBeanProvider(io.memdoctor.checks.LatestScanSummary.class), event -> {
                    if (event instanceof AlertTransition t) {
                        told.add(t);
                    }
                }, Clock.systemUTC(), owner);
        return new Replica(engine, told);
    }

    /** The instance has one memory-high alert in the database, in this state. */
    static void assertOneRow(Stores store, String state) {
        assertThat(rows(store)).singleElement().satisfies(row -> assertThat(row.get("state")).isEqualTo(state));
    }

    static List<Map<String, Object>> rows(Stores store) {
        return new JdbcTemplate(store.dataSource()).queryForList("SELECT id, state FROM alert WHERE instance_id = ?"
                + " AND rule = 'memory-high' ORDER BY id", CACHE.value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theReplicaThatTakesAnInstanceOverKeepsItsFiringAlertAndResolvesItOnce(String vendor) {
        try (Stores store = Stores.open(vendor)) {
            Replica a = replica(store, LEASES, Duration.ZERO);
            Replica b = replica(store, LEASES, Duration.ZERO);
            a.gains(CACHE);
            a.engine().evaluate(sample(CACHE, T0, 95 * MB, 100 * MB, 0));
            assertThat(a.states()).containsExactly(AlertState.FIRING);
            long id = a.told().get(0).alert().id();

            // a dies (SIGKILL: nobody tells it); b takes the lease and samples the instance, still full
            b.gains(CACHE);
            assertThat(b.engine().evaluate(sample(CACHE, T0.plusSeconds(10), 96 * MB, 100 * MB, 0)))
                    .as("b knows the firing alert from the database")
                    .containsOnlyKeys(AlertRule.MEMORY_HIGH)
                    .hasEntrySatisfying(AlertRule.MEMORY_HIGH, alert -> assertThat(alert.id()).isEqualTo(id));
            assertThat(b.told()).as("not fired a second time").isEmpty();

            b.engine().evaluate(sample(CACHE, T0.plusSeconds(20), 50 * MB, 100 * MB, 0));
            assertThat(b.states()).containsExactly(AlertState.RESOLVED);
            assertThat(b.told().get(0).alert().id()).isEqualTo(id);

            // a's late sample, on its stale copy: the resolution is b's, already made
            a.engine().evaluate(sample(CACHE, T0.plusSeconds(21), 50 * MB, 100 * MB, 0));
            assertThat(a.states()).containsExactly(AlertState.FIRING);
            assertOneRow(store, "RESOLVED");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void twoReplicasInsertingTheSameAlertStoreOneAndNotifyOnce(String vendor) {
        try (Stores store = Stores.open(vendor)) {
            Replica a = replica(store, LEASES, Duration.ZERO);
            Replica b = replica(store, LEASES, Duration.ZERO);
            a.gains(CACHE);
            b.gains(CACHE);
            // both read the instance's alerts (none) before either inserts: the unique index decides
            a.engine().evaluate(sample(CACHE, T0, 50 * MB, 100 * MB, 0));
            b.engine().evaluate(sample(CACHE, T0, 50 * MB, 100 * MB, 0));
            a.engine().evaluate(sample(CACHE, T0.plusSeconds(10), 95 * MB, 100 * MB, 0));
            b.engine().evaluate(sample(CACHE, T0.plusSeconds(10), 95 * MB, 100 * MB, 0));
            assertThat(a.states()).containsExactly(AlertState.FIRING);
            assertThat(b.told()).as("b's insert refused: it takes a's alert, silently").isEmpty();
            assertThat(b.engine().active(CACHE.value())).singleElement()
                    .satisfies(alert -> assertThat(alert.id()).isEqualTo(a.told().get(0).alert().id()));

            a.engine().evaluate(sample(CACHE, T0.plusSeconds(20), 50 * MB, 100 * MB, 0));
            b.engine().evaluate(sample(CACHE, T0.plusSeconds(20), 50 * MB, 100 * MB, 0));
            assertThat(a.states()).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            assertThat(b.told()).as("resolved once, by a").isEmpty();
            assertOneRow(store, "RESOLVED");

            // the index admits any number of resolved alerts, and a new active one beside them
            a.engine().evaluate(sample(CACHE, T0.plusSeconds(30), 95 * MB, 100 * MB, 0));
            assertThat(rows(store)).extracting(row -> row.get("state")).containsExactly("RESOLVED", "FIRING");
            AlertRepository repository = new AlertRepository(new JdbcTemplate(store.dataSource()),
                    JsonMapper.builder().build());
            assertThatThrownBy(() -> repository.insert(new Alert(0, "memory-high", CACHE.value(), AlertState.PENDING,
                    Severity.WARNING, T0, null, null, "again", Map.of(), null, null, false)))
                    .isInstanceOf(DuplicateKeyException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aPendingAlertFiresOnceWhicheverReplicaHoldsItThen(String vendor) {
        try (Stores store = Stores.open(vendor)) {
            Replica a = replica(store, LEASES, Duration.ofMinutes(5));
            Replica b = replica(store, LEASES, Duration.ofMinutes(5));
            a.gains(CACHE);
            a.engine().evaluate(sample(CACHE, T0, 95 * MB, 100 * MB, 0));
            assertOneRow(store, "PENDING");
            // the lease moves to b, which counts 'for' from when the condition began on a
            b.gains(CACHE);
            b.engine().evaluate(sample(CACHE, T0.plusSeconds(300), 96 * MB, 100 * MB, 0));
            assertThat(b.states()).containsExactly(AlertState.FIRING);
            assertThat(b.told().get(0).alert().startsAt()).isEqualTo(T0);
            // a, never told, fires its stale pending copy: already moved on, it takes the stored state instead
            a.engine().evaluate(sample(CACHE, T0.plusSeconds(301), 96 * MB, 100 * MB, 0));
            assertThat(a.told()).isEmpty();
            assertThat(a.engine().active(CACHE.value())).singleElement()
                    .satisfies(alert -> assertThat(alert.state()).isEqualTo(AlertState.FIRING));
            assertOneRow(store, "FIRING");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReplicaKeepsOnlyTheInstancesItSamplesWhileASingleDashboardReadsAllAtStart(String vendor) {
        try (Stores store = Stores.open(vendor)) {
            Replica a = replica(store, LEASES, Duration.ZERO);
            a.gains(CACHE);
            a.engine().evaluate(sample(CACHE, T0, 95 * MB, 100 * MB, 0));
            assertThat(a.engine().active()).hasSize(1);

            assertThat(replica(store, LEASES, Duration.ZERO).engine().active())
                    .as("a replica starts with nothing: it reads an instance's alerts when it gains it").isEmpty();
            assertThat(replica(store, SamplingOwnership.EVERYTHING, Duration.ZERO).engine().active())
                    .as("a single dashboard reads every active alert at start").hasSize(1);

            a.loses(CACHE);
            assertThat(a.engine().active()).as("lost: no copy left to repeat or show").isEmpty();
            assertOneRow(store, "FIRING");
        }
    }
}
