package io.memdoctor.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.memdoctor.instances.InstanceService;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The {@code demo} profile: starts a private redis-server per chosen scenario (when {@code redis-server} is on the
 * PATH), loads its starting data, registers it as an instance named {@code demo <scenario>} and runs the incident,
 * so a newcomer can watch the dashboard diagnose it. It writes only to the servers it started, and stops them on
 * shutdown.
 */
@Component
@Profile("demo")
@EnableConfigurationProperties(DemoProperties.class)
class DemoRunner implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

    private final InstanceService instances;
    private final DemoProperties properties;
    private final List<LocalRedisServer> servers = new ArrayList<>();
    private final List<ScenarioRun> runs = new ArrayList<>();

    DemoRunner(InstanceService instances, DemoProperties properties) {
        this.instances = instances;
        this.properties = properties;
    }

    static List<Scenario> chosen(String setting) {
        if (setting == null || setting.isBlank() || setting.strip().equalsIgnoreCase("all")) {
            return List.of(Scenario.values());
        }
        return Arrays.stream(setting.split(",")).map(Scenario::of).distinct().toList();
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Scenario> scenarios = chosen(properties.scenario());
        if (LocalRedisServer.executable().isEmpty()) {
            log.warn("Demo: redis-server is not on the PATH, so no scenario runs. Install Redis (apt-get install"
                    + " redis-server) and start the demo again.");
            return;
        }
        for (Scenario scenario : scenarios) {
            LocalRedisServer server = LocalRedisServer.start(scenario.serverArgs());
            servers.add(server);
            String name = "demo " + scenario.id();
            // a demo instance left in the store by an earlier run pointed at another port
            instances.find(io.memdoctor.instances.InstanceId.slugOf(name))
                    .ifPresent(stale -> instances.remove(stale.id().value()));
            ScenarioRun run = ScenarioRun.prepare(scenario, server);
            runs.add(run);
            instances.add(name, server.url());
            run.start();
            log.info("Demo: '{}' ({}) runs on {}; expected verdict {}. Open /instances/{}", scenario.id(),
                    scenario.description(), server.url(), scenario.expected(),
                    io.memdoctor.instances.InstanceId.slugOf(name));
        }
    }

    @PreDestroy
    void stop() {
        runs.forEach(ScenarioRun::close);
        servers.forEach(LocalRedisServer::close);
    }
}
