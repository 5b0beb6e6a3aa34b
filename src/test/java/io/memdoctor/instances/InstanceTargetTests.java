package io.memdoctor.instances;

import io.memdoctor.RedisMemoryDoctorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An instance URL with a control character, or outside {@code memdoctor.instances.allowed-targets}, is refused with
 * a 400 that names the part (never the password), on the API and on the add form; a configured one stops the start.
 */
@SpringBootTest(properties = {"memdoctor.instances.allowed-targets=127.0.0.0/8, ::1",
    "memdoctor.instances[0].name=local", "memdoctor.instances[0].url=redis://127.0.0.1:7"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class InstanceTargetTests {

    @Autowired
    MockMvc mvc;

    @Test
    void theApiRefusesControlCharactersAndTargetsOutsideTheList() throws Exception {
        add("cr lf", "redis://user:top%0D%0Asecret@127.0.0.1:6379")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("control characters")))
                .andExpect(jsonPath("$.detail").value(containsString("in the password")))
                .andExpect(content().string(not(containsString("secret"))));
        add("raw lf", "redis://127.0.0.1:6379\\r\\n").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("in the host or port")));
        add("metadata", "redis://169.254.169.254:80").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("not an allowed target")))
                .andExpect(jsonPath("$.detail").value(containsString("memdoctor.instances.allowed-targets")));
        add("by name", "redis://localhost:6390").andExpect(status().isCreated());
        add("loopback", "redis://127.0.0.2:6390").andExpect(status().isCreated());
        mvc.perform(get("/api/instances")).andExpect(jsonPath("$[?(@.name == 'metadata')]").isEmpty())
                .andExpect(jsonPath("$[?(@.name == 'cr lf')]").isEmpty());
    }

    @Test
    void theAddFormSaysWhyInWords() throws Exception {
        mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true").param("name", "internal")
                .param("url", "redis://:hunter2@10.1.2.3:6379"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("not an allowed target")))
                .andExpect(content().string(not(containsString("hunter2"))));
        mvc.perform(post("/instances").with(csrf()).param("name", "internal")
                .param("url", "redis://:hun%0Ater2@127.0.0.1:6379"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("in the password")))
                .andExpect(content().string(not(containsString("hun%0Ater2"))));
    }

    @Test
    void aConfiguredInstanceOutsideTheListStopsTheStart(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(RedisMemoryDoctorApplication.class).profiles("test")
                .run("--server.port=0", "--spring.main.banner-mode=off",
                        "--memdoctor.instances.allowed-targets=10.0.0.0/8",
                        "--memdoctor.instances[0].name=metadata",
                        "--memdoctor.instances[0].url=redis://169.254.169.254:80").close())
                .hasStackTraceContaining("memdoctor.instances[0] ('metadata'): host '169.254.169.254' is not an"
                        + " allowed target");
        assertThat(output).contains("memdoctor.instances.allowed-targets allows only 10.0.0.0/8");
    }

    private org.springframework.test.web.servlet.ResultActions add(String name, String url) throws Exception {
        return mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + name + "\",\"url\":\"" + url + "\"}"));
    }
}
