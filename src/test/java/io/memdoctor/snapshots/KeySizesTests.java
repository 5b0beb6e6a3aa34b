package io.memdoctor.snapshots;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.PrivateRedis;
import io.memdoctor.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * INFO keysizes (Redis 8+): the histograms are read from the newest INFO text, summed over databases, shown on the
 * instance page and by the API; a server without them (every build at hand: 7.0 to the 8.0 preview, Valkey 8)
 * shows nothing. The fixture follows the format of Redis 8's own tests ({@code db0_distrib_strings_sizes:4=1}).
 */
@DashboardTest
@PrivateRedis(instance = "no-keysizes")
class KeySizesTests {

    static RedisServer redis;

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository repository;

    @Test
    void histogramsAreSummedOverDatabasesPerTypeInBucketOrder() throws IOException {
        KeySizes sizes = KeySizes.parse(resource("/info/keysizes-8.x.txt"));

        assertThat(sizes.present()).isTrue();
        assertThat(sizes.types()).extracting(KeySizes.TypeHistogram::type)
                .containsExactly("strings", "lists", "sets", "zsets", "hashes");
        KeySizes.TypeHistogram strings = sizes.types().get(0);
        assertThat(strings.measure()).isEqualTo("bytes");
        assertThat(strings.keys()).isEqualTo(1655 + 105);
        // db0's 300 and db1's 100 strings of 32 to 63 bytes are one bucket
        assertThat(strings.buckets()).filteredOn(b -> b.label().equals("32")).singleElement()
                .extracting(KeySizes.Bucket::keys).isEqualTo(400L);
        assertThat(strings.buckets()).extracting(KeySizes.Bucket::from).isSorted().contains(1024L, 2048L, 1L << 20);
        assertThat(strings.buckets().stream().mapToDouble(KeySizes.Bucket::share).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(sizes.types().get(1).label()).isEqualTo("lists (items)");
        assertThat(sizes.types().get(3).label()).isEqualTo("sorted sets (items)");
        assertThat(sizes.types().get(1).buckets()).extracting(KeySizes.Bucket::label).containsExactly("1", "4", "16",
                "32K");
    }

    @Test
    void otherInfoTextsHaveNoHistogramsAndJunkIsSkipped() throws IOException {
        assertThat(KeySizes.parse(resource("/info/redis-7.4.1.txt")).present()).isFalse();
        assertThat(KeySizes.parse(resource("/info/valkey-8.0.1.txt")).present()).isFalse();
        assertThat(KeySizes.parse(null).present()).isFalse();
        KeySizes junk = KeySizes.parse("db0_distrib_strings_sizes:x=1,4=y,=3,8=-1,16=2\r\nnotdb_distrib_sets_items:2=2\r\n"
                + "db0_distrib_:1=1\r\ndb0_distrib_strings_sizes:99999999999999999999P=1\r\n");
        assertThat(junk.types()).singleElement().satisfies(t -> assertThat(t.buckets()).singleElement()
                .extracting(KeySizes.Bucket::from, KeySizes.Bucket::keys).containsExactly(16L, 2L));
    }

    @Test
    void theInstancePageAndTheApiShowThemWhenTheServerHasThem() throws Exception {
        // a closed port: no sample of its own ever replaces the INFO text stored here
        Instance instance = instances.add("keysizes 8", "redis://127.0.0.1:" + closedPort());
        try {
            repository.saveInfoText(instance.id(), Instant.now(), resource("/info/keysizes-8.x.txt"));
            String page = mvc.perform(get("/instances/" + instance.id().value())).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            assertThat(page).contains("id=\"keysizes\"").contains("strings (bytes) · 1,760 keys")
                    .contains("sorted sets (items)").contains(">32K<");
            mvc.perform(get("/api/instances/" + instance.id().value() + "/keysizes")).andExpect(status().isOk())
                    .andExpect(jsonPath("$.available").value(true))
                    .andExpect(jsonPath("$.types[0].type").value("strings"))
                    .andExpect(jsonPath("$.types[0].keys").value(1760))
                    .andExpect(jsonPath("$.types[1].buckets[3].label").value("32K"))
                    .andExpect(jsonPath("$.types[1].buckets[3].from").value(32768));
        }
        finally {
            instances.remove(instance.id().value());
        }
    }

    @Test
    void aServerWithoutThemShowsNothing() throws Exception {
        // the real redis-server of this class (7.0) has no INFO keysizes
        String page = mvc.perform(get("/instances/no-keysizes")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).doesNotContain("id=\"keysizes\"").doesNotContain("Key sizes");
        mvc.perform(get("/api/instances/no-keysizes/keysizes")).andExpect(status().isOk())
                .andExpect(jsonPath("$.available").value(false)).andExpect(jsonPath("$.types").isEmpty());
        mvc.perform(get("/api/instances/nope/keysizes")).andExpect(status().isNotFound());
    }

    private static int closedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KeySizesTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
