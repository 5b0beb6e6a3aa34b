package io.memdoctor.simulator;

import java.time.Duration;

import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.SnapshotRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The demo profile starts its own redis-server for the chosen scenario, registers it and samples it; it touches no
 * other Redis (the only other instance here is an address where nothing listens).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles({"test", "demo"})
@TestPropertySource(properties = {"memdoctor.demo.scenario=healthy", "memdoctor.instances[0].name=nowhere",
        "memdoctor.instances[0].url=redis://127.0.0.1:1"})
@DirtiesContext // the demo profile and its runner: a context only it uses
class DemoRunnerTests {

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository repository;

    @Test
    void startsItsOwnServerAndWatchesIt() {
        var instance = instances.get("demo-healthy");
        assertThat(instance.url().host()).isEqualTo("127.0.0.1");
        await().atMost(Duration.ofSeconds(10)).until(() -> repository.latestOk(instance.id()).isPresent());
        assertThat(repository.latestOk(instance.id()).orElseThrow().getText(io.memdoctor.snapshots.Metric.MAXMEMORY_POLICY))
                .isEqualTo("allkeys-lru");
        assertThat(instances.findAll()).extracting(i -> i.id().value()).containsExactlyInAnyOrder("nowhere", "demo-healthy");
    }

    @Test
    void scenarioNamesAreParsedOrRefused() {
        assertThat(DemoRunner.chosen("all")).containsExactly(Scenario.values());
        assertThat(DemoRunner.chosen("ttl-loss, COPY_ON_WRITE")).containsExactly(Scenario.TTL_LOSS, Scenario.COPY_ON_WRITE);
        assertThatThrownBy(() -> DemoRunner.chosen("leak")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unbounded-list");
    }
}
