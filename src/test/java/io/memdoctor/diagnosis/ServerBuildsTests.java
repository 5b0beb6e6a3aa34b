package io.memdoctor.diagnosis;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.memdoctor.instances.ClientList;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.redis.ClientListReader;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.simulator.LocalRedisServer;
import io.memdoctor.support.DashboardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * On every server build at hand (Debian's redis-server and ../shared/redis-builds, skipped where absent): the
 * instance page names the server as it is (Valkey as "Valkey 8.0.1", not the "Redis 7.2.4" it reports for
 * compatibility), and CLIENT LIST gives a stuck subscriber's class as pubsub.
 */
@DashboardTest
class ServerBuildsTests {

    static final Path BUILDS = Path.of("../shared/redis-builds");

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Autowired
    ClientListReader clientLists;

    @Test
    void everyBuildIsNamedAsItIsAndItsSubscribersAreClassedPubsub() throws Exception {
        List<Path> builds = new ArrayList<>();
        builds.add(null);
        if (Files.isDirectory(BUILDS)) {
            try (Stream<Path> files = Files.list(BUILDS)) {
                files.filter(p -> p.getFileName().toString().contains("-server-")).sorted().forEach(builds::add);
            }
        }
        else {
            System.out.println("ServerBuildsTests: " + BUILDS.toAbsolutePath() + " is absent; only the redis-server"
                    + " on the PATH is tried");
        }
        for (Path build : builds) {
            String name = build == null ? "redis-server" : build.getFileName().toString();
            try (LocalRedisServer server = build == null ? LocalRedisServer.start(List.of())
                    : LocalRedisServer.start(build, List.of());
                    Socket subscriber = new Socket("127.0.0.1", server.port())) {
                OutputStream out = subscriber.getOutputStream();
                out.write("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nfeed\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = subscriber.getInputStream();
                in.read(new byte[256]);
                Instance instance = instances.add("build " + name, server.url());
                sampler.sample(instance);
                String page = mvc.perform(get("/instances/" + instance.id().value())).andExpect(status().isOk())
                        .andReturn().getResponse().getContentAsString();
                String expected = name.startsWith("valkey") ? "Valkey " + name.substring(name.lastIndexOf('-') + 1)
                        : "Redis ";
                assertThat(page).as(name).contains(expected);
                if (name.startsWith("valkey")) {
                    assertThat(page).doesNotContain("Redis 7.2.4");
                }
                ClientList list = clientLists.read(instance);
                assertThat(list.available()).as(name).isTrue();
                assertThat(list.clients()).as(name)
                        .anyMatch(c -> c.kind() == ClientList.ClientClass.PUBSUB && c.cmd().equals("subscribe"));
                instances.remove(instance.id().value());
            }
        }
    }
}
