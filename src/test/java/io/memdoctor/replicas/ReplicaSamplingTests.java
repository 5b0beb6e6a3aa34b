package io.memdoctor.replicas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.memdoctor.RedisMemoryDoctorApplication;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.SnapshotStored;
import io.memdoctor.support.PostgresServer;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas in one JVM on one private PostgreSQL database, sampling every 2 s, the cheap companion of
 * {@link ReplicasTests}: every sample, the first ones included, is taken by the replica that holds the instance's
 * lease. From the replicas' start on no interval has samples of an instance from two replicas, nor two from one
 * (but for its first, which may end late: samples are stamped when they end), and an instance added through one
 * replica gets its first sample at once from that replica, under a lease it took, so the other does not sample it
 * in the same interval; the lease handed over to the other replica (over the first one's share) misses no
 * interval. Which replica took each sample is heard on each context's {@link SnapshotStored} events.
 */
class ReplicaSamplingTests {

    private static final long INTERVAL = 2000;

    private record Taken(String replica, String instance, long at) {
    }

    @Test
    void fromTheStartAndForAnAddedInstanceEverySampleIsTheLeaseHolders() throws Exception {
        PostgresServer server = PostgresServer.get().orElse(null);
        Assumptions.assumeTrue(server != null, PostgresServer.UNAVAILABLE);
        String database = server.createDatabase();
        List<Taken> taken = new CopyOnWriteArrayList<>();
        try (RedisServer configured = RedisServer.start(); RedisServer added = RedisServer.start()) {
            List<String> args = List.of("--spring.datasource.url=" + server.url(database),
                    "--spring.datasource.username=" + server.user(),
                    "--spring.datasource.password=" + server.password(), "--memdoctor.replicas.enabled=true",
                    "--memdoctor.sampling.enabled=true", "--memdoctor.sampling.interval=" + INTERVAL + "ms",
                    "--memdoctor.instances[0].name=configured", "--memdoctor.instances[0].url=" + configured.url());
            try (ConfigurableApplicationContext a = start("a", args, taken);
                    ConfigurableApplicationContext b = start("b", args, taken)) {
                JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM sampling_replica", Integer.class) == 2);

                // just after a tick: the next one is most of an interval away
                long tick = (System.currentTimeMillis() / INTERVAL + 1) * INTERVAL;
                Thread.sleep(tick + INTERVAL / 10 - System.currentTimeMillis());
                a.getBean(InstanceService.class).add("added", added.url());
                await().atMost(Duration.ofMillis(INTERVAL * 8 / 10)).until(() -> taken.stream()
                        .anyMatch(t -> t.instance().equals("added")));
                Taken first = taken.stream().filter(t -> t.instance().equals("added")).findFirst().orElseThrow();
                assertThat(first.replica()).as("the first sample").isEqualTo("a");
                assertThat(first.at()).as("taken at once, not at the next tick").isLessThan(tick + INTERVAL);
                assertThat(jdbc.queryForList("SELECT owner FROM sampling_lease WHERE instance_id = 'added' AND"
                        + " expires_at > CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)",
                        String.class)).as("taken under a's lease").containsExactly("a");

                Thread.sleep(4 * INTERVAL);
            }
            // a tick falls on a multiple of the interval and its sample ends a little after it: count by the nearest
            Map<String, Map<Long, List<String>>> bins = new TreeMap<>();
            Map<String, Map<Long, List<String>>> warm = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            for (Taken t : taken) {
                long bin = (t.at() + INTERVAL / 2) / INTERVAL * INTERVAL;
                bins.computeIfAbsent(t.instance(), k -> new TreeMap<>()).computeIfAbsent(bin, k -> new ArrayList<>())
                        .add(t.replica());
                // a sample is stamped when it ends: a replica's first one of an instance (a cold connect in a
                // JVM still starting) can end more than half an interval after its tick, next to the next tick's
                if (!seen.add(t.replica() + "/" + t.instance())) {
                    warm.computeIfAbsent(t.instance(), k -> new TreeMap<>()).computeIfAbsent(bin,
                            k -> new ArrayList<>()).add(t.replica());
                }
            }
            String times = taken.stream().map(t -> t.replica() + ":" + t.instance() + "@" + t.at() % 100_000)
                    .toList().toString();
            assertThat(bins).containsKeys("configured", "added");
            bins.forEach((instance, perInterval) -> assertThat(perInterval)
                    .as("%s: replicas that sampled it, per interval: %s (%s)", instance, perInterval, times)
                    .allSatisfy((at, replicas) -> assertThat(Set.copyOf(replicas)).hasSize(1)));
            warm.forEach((instance, perInterval) -> assertThat(perInterval)
                    .as("%s: samples per interval after each replica's first: %s (%s)", instance, perInterval, times)
                    .allSatisfy((at, replicas) -> assertThat(replicas).hasSize(1)));
            // a handed it over to b (each holds one of the two): a last sample by a at the tick it handed it
            // over, b's from the next tick on, no interval missed
            Map<Long, List<String>> addedBins = bins.get("added");
            assertThat(addedBins).as("added: sampled on after its first sample").hasSizeGreaterThanOrEqualTo(4);
            long firstBin = addedBins.keySet().iterator().next();
            assertThat(addedBins.keySet()).as("added: one sample in every interval, %s", addedBins)
                    .allSatisfy(at -> assertThat((at - firstBin) / INTERVAL)
                            .isLessThan(addedBins.size()));
        }
        finally {
            server.dropDatabase(database);
        }
    }

    private static ConfigurableApplicationContext start(String id, List<String> common, List<Taken> taken) {
        List<String> args = new ArrayList<>(common);
        args.add("--memdoctor.replicas.id=" + id);
        ApplicationListener<ApplicationEvent> heard = event -> {
            if (event instanceof PayloadApplicationEvent<?> payload
                    && payload.getPayload() instanceof SnapshotStored stored) {
                taken.add(new Taken(id, stored.snapshot().instanceId().value(),
                        stored.snapshot().timestamp().toEpochMilli()));
            }
        };
        return new SpringApplicationBuilder(RedisMemoryDoctorApplication.class).web(WebApplicationType.NONE)
                .profiles("test").listeners(heard).run(args.toArray(String[]::new));
    }
}
