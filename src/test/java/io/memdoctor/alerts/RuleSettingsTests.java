package io.memdoctor.alerts;

import java.time.Duration;
import java.util.List;

import io.memdoctor.support.BothStores;
import io.memdoctor.support.OverlappingWrites;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rule settings on H2 and PostgreSQL with the real migrations: what a restarted dashboard reads back (a new
 * {@link RuleSettings} over the same database), saved twice, inherited, forgotten with the instance; what another
 * replica changed, once read again (RuleSettingsRefresh, with replicas every 10 s).
 */
@BothStores
class RuleSettingsTests {

    @Parameter
    BothStores.Store store;

    @BeforeEach
    void clear() {
        store.clear("alert_rule_setting");
    }

    private RuleSettings restarted() {
        return new RuleSettings(store.jdbc());
    }

    @Test
    void globalAndPerInstanceSettingsAreReadBackAfterARestart() {
        RuleSettings settings = restarted();
        assertThat(settings.effective(AlertRule.MEMORY_HIGH, "a")).isEqualTo(AlertRule.MEMORY_HIGH.defaults());
        settings.save(List.of(
                new RuleSetting(AlertRule.MEMORY_HIGH, null, true, 85.5, Duration.ofMinutes(10)),
                new RuleSetting(AlertRule.MEMORY_HIGH, "cache-ü'\"", false, 97.25, Duration.ofSeconds(30)),
                new RuleSetting(AlertRule.EVICTIONS, "cache-ü'\"", false, null, Duration.ZERO),
                new RuleSetting(AlertRule.FORECAST_FULL, null, true, 0.1 + 0.2, Duration.ofDays(1))));

        RuleSettings read = restarted();
        assertThat(read.global(AlertRule.MEMORY_HIGH))
                .isEqualTo(new RuleSetting(AlertRule.MEMORY_HIGH, null, true, 85.5, Duration.ofMinutes(10)));
        assertThat(read.effective(AlertRule.MEMORY_HIGH, "other")).isEqualTo(read.global(AlertRule.MEMORY_HIGH));
        assertThat(read.effective(AlertRule.MEMORY_HIGH, "cache-ü'\""))
                .isEqualTo(new RuleSetting(AlertRule.MEMORY_HIGH, "cache-ü'\"", false, 97.25, Duration.ofSeconds(30)));
        assertThat(read.effective(AlertRule.EVICTIONS, "cache-ü'\"").enabled()).isFalse();
        assertThat(read.effective(AlertRule.EVICTIONS, "cache-ü'\"").threshold()).as("a rule without one").isNull();
        assertThat(read.global(AlertRule.FORECAST_FULL).threshold()).as("a double read back exactly")
                .isEqualTo(0.1 + 0.2);
        assertThat(read.global(AlertRule.FORECAST_FULL).forDuration()).isEqualTo(Duration.ofDays(1));
        assertThat(read.global(AlertRule.RSS_HIGH)).isEqualTo(AlertRule.RSS_HIGH.defaults());
        assertThat(read.overrides(AlertRule.MEMORY_HIGH)).extracting(RuleSetting::instanceId)
                .containsExactly("cache-ü'\"");
    }

    @Test
    void savingTheSameSettingAgainReplacesItAndOverridesAreSortedByInstance() {
        RuleSettings settings = restarted();
        for (double threshold : new double[] {80, 81, 82}) {
            settings.save(List.of(new RuleSetting(AlertRule.MEMORY_HIGH, "b", true, threshold, Duration.ZERO)));
        }
        settings.save(List.of(new RuleSetting(AlertRule.MEMORY_HIGH, "a", true, 70.0, Duration.ZERO),
                new RuleSetting(AlertRule.MEMORY_HIGH, "a", true, 71.0, Duration.ofSeconds(5))));

        RuleSettings read = restarted();
        assertThat(read.overrides(AlertRule.MEMORY_HIGH)).extracting(RuleSetting::instanceId, RuleSetting::threshold)
                .containsExactly(org.assertj.core.api.Assertions.tuple("a", 71.0),
                        org.assertj.core.api.Assertions.tuple("b", 82.0));
        assertThat(store.jdbc().queryForObject("SELECT COUNT(*) FROM alert_rule_setting", Integer.class))
                .isEqualTo(2);
    }

    @Test
    void anInheritedOrForgottenInstanceFallsBackToTheGlobalSetting() {
        RuleSettings settings = restarted();
        RuleSetting global = new RuleSetting(AlertRule.FRAGMENTATION, null, true, 2.0, Duration.ofMinutes(5));
        settings.save(List.of(global,
                new RuleSetting(AlertRule.FRAGMENTATION, "a", true, 3.0, Duration.ZERO),
                new RuleSetting(AlertRule.MEMORY_HIGH, "a", true, 99.0, Duration.ZERO),
                new RuleSetting(AlertRule.MEMORY_HIGH, "b", true, 98.0, Duration.ZERO)));

        settings.inherit(AlertRule.FRAGMENTATION, "a");
        assertThat(settings.effective(AlertRule.FRAGMENTATION, "a")).isEqualTo(global);
        assertThat(restarted().effective(AlertRule.FRAGMENTATION, "a")).isEqualTo(global);
        assertThat(restarted().effective(AlertRule.MEMORY_HIGH, "a").threshold()).isEqualTo(99.0);

        settings.forgetInstance("a");
        RuleSettings read = restarted();
        assertThat(read.effective(AlertRule.MEMORY_HIGH, "a")).isEqualTo(AlertRule.MEMORY_HIGH.defaults());
        assertThat(read.effective(AlertRule.MEMORY_HIGH, "b").threshold()).isEqualTo(98.0);
        assertThat(read.global(AlertRule.FRAGMENTATION)).isEqualTo(global);
    }

    @Test
    void aRowOfARuleThisVersionDoesNotKnowIsIgnored() {
        store.jdbc().update("INSERT INTO alert_rule_setting (rule, instance_id, enabled, threshold, for_seconds)"
                + " VALUES ('retired-rule', '*', TRUE, 1.0, 60)");
        store.jdbc().update("INSERT INTO alert_rule_setting (rule, instance_id, enabled, threshold, for_seconds)"
                + " VALUES ('memory-high', '*', TRUE, NULL, 60)");
        RuleSettings read = restarted();
        assertThat(read.global(AlertRule.MEMORY_HIGH).threshold()).as("no threshold stored: the default")
                .isEqualTo(AlertRule.MEMORY_HIGH.defaultThreshold());
        assertThat(read.global(AlertRule.MEMORY_HIGH).forDuration()).isEqualTo(Duration.ofMinutes(1));
    }

    /**
     * Two replicas saving the same setting at once, each in its transaction (operators on two pages, or a script and
     * a page): the second's row meets the first's, and it must replace it rather than fail.
     */
    @Test
    void twoReplicasSavingTheSameSettingAtOnceBothSucceed() throws Exception {
        RuleSettings first = restarted();
        RuleSettings second = restarted();
        OverlappingWrites.run(new DataSourceTransactionManager(store.dataSource()),
                () -> first.save(List.of(new RuleSetting(AlertRule.MEMORY_HIGH, null, true, 80.0, Duration.ZERO))),
                () -> second.save(List.of(new RuleSetting(AlertRule.MEMORY_HIGH, null, true, 90.0, Duration.ZERO))));
        assertThat(restarted().global(AlertRule.MEMORY_HIGH).threshold()).isIn(80.0, 90.0);
        assertThat(store.jdbc().queryForObject("SELECT COUNT(*) FROM alert_rule_setting", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void aSaveThatFailsPartWayStoresNothing() {
        RuleSettings settings = restarted();
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(store.dataSource()));
        RuleSetting first = new RuleSetting(AlertRule.MEMORY_HIGH, "a", true, 70.0, Duration.ZERO);
        RuleSetting tooLong = new RuleSetting(AlertRule.MEMORY_HIGH, "x".repeat(65), true, 70.0, Duration.ZERO);
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> settings.save(List.of(first, tooLong))))
                .as("instance_id is VARCHAR(64) on both").isInstanceOf(RuntimeException.class);
        assertThat(restarted().overrides(AlertRule.MEMORY_HIGH)).isEmpty();
    }

    @Test
    void aReplicaReadsTheSettingsAnotherChangedWhenItReadsThemAgain() {
        RuleSettings one = restarted();
        RuleSettings other = restarted();
        one.save(List.of(new RuleSetting(AlertRule.MEMORY_HIGH, null, true, 70.0, Duration.ZERO),
                new RuleSetting(AlertRule.EVICTIONS, "cache", false, null, Duration.ZERO)));
        assertThat(other.effective(AlertRule.MEMORY_HIGH, "cache").threshold()).as("not yet read").isEqualTo(90.0);

        other.reload();
        assertThat(other.effective(AlertRule.MEMORY_HIGH, "cache").threshold()).isEqualTo(70.0);
        assertThat(other.effective(AlertRule.EVICTIONS, "cache").enabled()).isFalse();

        one.inherit(AlertRule.EVICTIONS, "cache");
        other.reload();
        assertThat(other.effective(AlertRule.EVICTIONS, "cache").enabled()).as("the override is gone").isTrue();
        assertThat(other.overrides(AlertRule.EVICTIONS)).isEmpty();
    }
}
