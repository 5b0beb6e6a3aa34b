package io.memdoctor.instances;

import java.util.List;

import io.memdoctor.sampling.Sampler;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Watched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A password-protected Redis works, and its password shows up in no answer, page or log line. */
@DashboardTest
@ExtendWith(OutputCaptureExtension.class)
class PasswordSecrecyTests {

    static final String PASSWORD = "Sup3r-Secret_pw";
    static final String WRONG = "N0t-The-Right_one";

    /** The test adds both instances through the API; they go after the class, then the server. */
    @RegisterExtension
    static final Watched watched = new Watched();
    static final RedisServer locked = watched.start("--requirepass", PASSWORD);

    static {
        watched.forgetAfterwards("locked", "wrong");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    Sampler sampler;

    @Test
    void thePasswordIsUsedButNeverShown(CapturedOutput output) throws Exception {
        String url = "redis://:" + PASSWORD + "@127.0.0.1:" + locked.port();
        String created = mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"locked\",\"url\":\"" + url + "\"}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        assertThat(created).contains("redis://:***@127.0.0.1:" + locked.port()).doesNotContain(PASSWORD);

        Snapshot snapshot = sampler.sample(instances.get("locked"));
        assertThat(snapshot.status()).as(snapshot.error()).isEqualTo(SnapshotStatus.OK);

        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"wrong\",\"url\":\"redis://:" + WRONG + "@127.0.0.1:" + locked.port() + "\"}"))
                .andExpect(status().isCreated());
        Snapshot refused = sampler.sample(instances.get("wrong"));
        assertThat(refused.status()).as(refused.error()).isEqualTo(SnapshotStatus.ERROR);
        assertThat(refused.error()).containsAnyOf("WRONGPASS", "invalid", "NOAUTH").doesNotContain(WRONG);

        for (String path : List.of("/api/instances", "/api/instances/locked", "/api/instances/wrong",
                "/api/instances/locked/snapshots", "/api/instances/locked/snapshots/latest",
                "/api/instances/wrong/snapshots/latest", "/api/instances/locked/info", "/api/overview", "/",
                "/instances/locked", "/instances/wrong", "/actuator/health")) {
            String body = mvc.perform(get(path)).andReturn().getResponse().getContentAsString();
            assertThat(body).as(path).doesNotContain(PASSWORD).doesNotContain(WRONG);
        }
        // filtered to these two, they are cards, which show the URL (other classes' instances may share the context)
        String fragment = mvc.perform(get("/").param("q", "127.0.0.1:" + locked.port()).header("HX-Request", "true"))
                .andReturn().getResponse().getContentAsString();
        assertThat(fragment).contains("redis://:***@").doesNotContain(PASSWORD).doesNotContain(WRONG);

        // a rejected form does not echo the URL it was given
        String form = mvc.perform(post("/instances").with(csrf()).param("name", "locked").param("url", url))
                .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString();
        assertThat(form).contains("already exists").doesNotContain(PASSWORD);

        assertThat(output.getAll()).contains("locked").doesNotContain(PASSWORD).doesNotContain(WRONG);
    }
}
