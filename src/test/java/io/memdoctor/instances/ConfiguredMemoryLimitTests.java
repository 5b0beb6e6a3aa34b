package io.memdoctor.instances;

import io.memdoctor.support.DashboardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code memdoctor.instances[N].memory-limit}: a size as the forms read it ({@code 1GB}, {@code 1Gi}, {@code 1G}),
 * written to the store at start like the URL and tags.
 */
@DashboardTest
@TestPropertySource(properties = {"memdoctor.instances[0].name=configured pod",
        "memdoctor.instances[0].url=redis://127.0.0.1:15", "memdoctor.instances[0].memory-limit=1GB",
        "memdoctor.instances[1].name=configured host", "memdoctor.instances[1].url=redis://127.0.0.1:16",
        "memdoctor.instances[2].name=configured k8s", "memdoctor.instances[2].url=redis://127.0.0.1:18",
        "memdoctor.instances[2].memory-limit=512Mi"})
class ConfiguredMemoryLimitTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    MemoryLimits limits;

    @Test
    void theConfiguredLimitIsTheInstancesAndOnlyItsOwn() throws Exception {
        mvc.perform(get("/api/instances/configured-pod")).andExpect(status().isOk())
                .andExpect(jsonPath("$.source").value("CONFIG"))
                .andExpect(jsonPath("$.memoryLimit").value(1L << 30));
        mvc.perform(get("/api/instances/configured-host")).andExpect(jsonPath("$.memoryLimit").doesNotExist());
        assertThat(limits.of(InstanceId.of("configured-pod"))).contains(1L << 30);
        assertThat(limits.of(InstanceId.of("configured-host"))).isEmpty();
        // as a pod spec writes it
        assertThat(limits.of(InstanceId.of("configured-k8s"))).contains(512L << 20);
    }

    @Test
    void aBadConfiguredLimitStopsTheStartNamingTheProperty() {
        ConfiguredInstances zero = new ConfiguredInstances(java.util.List.of(new ConfiguredInstances.Entry("zero",
                RedisUrl.of("redis://127.0.0.1:17"), java.util.List.of(), "0")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InstanceService(null, zero, null, null,
                        new AllowedTargets(new TargetProperties(null)), null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("memdoctor.instances[0].memory-limit ('zero')")
                .hasMessageContaining("memory-limit must be a positive number of bytes");
        ConfiguredInstances words = new ConfiguredInstances(java.util.List.of(new ConfiguredInstances.Entry("words",
                RedisUrl.of("redis://127.0.0.1:17"), java.util.List.of(), "lots")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InstanceService(null, words, null, null,
                        new AllowedTargets(new TargetProperties(null)), null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("memdoctor.instances[0].memory-limit ('words')")
                .hasMessageContaining("must be a size such as 1GB");
    }
}
