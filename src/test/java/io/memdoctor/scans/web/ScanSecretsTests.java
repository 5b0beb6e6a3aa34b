package io.memdoctor.scans.web;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.support.DashboardTest;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.Watched;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** A password-protected Redis: the scan authenticates, and the password shows nowhere. */
@DashboardTest
@ExtendWith(OutputCaptureExtension.class)
class ScanSecretsTests {

    private static final String PASSWORD = "Sc4n-s3cret-pw";

    @RegisterExtension
    static final Watched watched = new Watched();
    private static final RedisServer server = watched.start("--requirepass", PASSWORD);

    @BeforeAll
    static void watch() {
        server.cli("-a", PASSWORD, "--no-auth-warning", "EVAL",
                "for i = 1, 2000 do redis.call('SET', 'secret-test:' .. i, 'v') end", "0");
        server.cli("-a", PASSWORD, "--no-auth-warning", "RPUSH", "list:1", "a", "b", "c");
        watched.add("scan-locked", "redis://:" + PASSWORD + "@127.0.0.1:" + server.port());
    }

    @Autowired
    private MockMvc mvc;

    @Test
    void theScanAuthenticatesAndNoAnswerPageOrLogLineShowsThePassword(CapturedOutput output) throws Exception {
        String started = mvc.perform(post("/api/instances/scan-locked/scans")).andReturn().getResponse()
                .getContentAsString();
        String id = JsonPath.read(started, "$.id");
        String body = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            body = mvc.perform(get("/api/scans/" + id)).andReturn().getResponse().getContentAsString();
            if (!"RUNNING".equals(JsonPath.read(body, "$.status"))) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat((String) JsonPath.read(body, "$.status")).isEqualTo("DONE");
        assertThat(((Number) JsonPath.read(body, "$.keys")).longValue()).isEqualTo(2001);

        StringBuilder everything = new StringBuilder(started).append(body);
        for (String url : new String[] {"/api/instances/scan-locked/scans", "/instances/scan-locked/scans",
                "/scans/" + id, "/api/scans/" + id + "/compare/" + id, "/scans/compare?base=" + id + "&other=" + id}) {
            everything.append(mvc.perform(get(url)).andReturn().getResponse().getContentAsString());
        }
        assertThat(everything.toString()).contains("secret-test:*").doesNotContain(PASSWORD);
        assertThat(output.getAll()).contains("Scan " + id).doesNotContain(PASSWORD);
    }
}
