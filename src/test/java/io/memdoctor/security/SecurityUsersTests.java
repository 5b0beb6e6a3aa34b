package io.memdoctor.security;

import com.jayway.jsonpath.JsonPath;
import io.memdoctor.support.RedisServer;
import io.memdoctor.support.ScanDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.logout;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** With users configured: a login form for pages, HTTP Basic for the API, VIEWER reads, OPERATOR changes. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@DirtiesContext // users configured (login mode): a context only it uses
class SecurityUsersTests {

    static final RedisServer redis = RedisServer.start();

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        ScanDataset.load(redis);
        TestUsers.register(registry);
        registry.add("memdoctor.instances[0].name", () -> "guarded");
        registry.add("memdoctor.instances[0].url", redis::url);
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void pagesAskForALoginAndTheApiForCredentials() throws Exception {
        mvc.perform(get("/")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        // the cards' refresh after the session ended: htmx is asked to go to the login page, not to swap it in
        mvc.perform(get("/").header("HX-Request", "true")).andExpect(status().isUnauthorized())
                .andExpect(header().string("HX-Redirect", "/login"));
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<label for=\"username\">User name</label>")))
                .andExpect(content().string(containsString("<label for=\"password\">Password</label>")))
                .andExpect(content().string(containsString("name=\"_csrf\"")));
        mvc.perform(get("/api/instances")).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", containsString("Basic")))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.title").value("Authentication required"));
        mvc.perform(get("/api/instances").with(httpBasic("otto", "wrong"))).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.status").value(401));
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/css/app.css")).andExpect(status().isOk());
    }

    @Test
    void aViewerSeesEverythingButChangesNothing() throws Exception {
        mvc.perform(get("/api/instances").with(httpBasic("vera", "viewer-pw"))).andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value("guarded"));
        mvc.perform(post("/api/instances").with(httpBasic("vera", "viewer-pw")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"nope\",\"url\":\"redis://127.0.0.1:7\"}"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("OPERATOR")));
        mvc.perform(post("/api/instances/guarded/scans").with(httpBasic("vera", "viewer-pw")))
                .andExpect(status().isForbidden());
        mvc.perform(delete("/api/instances/guarded").with(httpBasic("vera", "viewer-pw")))
                .andExpect(status().isForbidden());

        MockHttpSession session = login("vera", "viewer-pw");
        String overview = mvc.perform(get("/").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        org.assertj.core.api.Assertions.assertThat(overview).contains("Signed in as <strong>vera</strong>")
                .contains("viewer").contains("Log out").doesNotContain("id=\"add-form\"");
        mvc.perform(get("/instances/guarded").session(session)).andExpect(status().isOk())
                .andExpect(content().string(not(containsString("hx-post="))))
                .andExpect(content().string(not(containsString(">Remove<"))));
        mvc.perform(get("/instances/guarded/scans").session(session)).andExpect(status().isOk())
                .andExpect(content().string(not(containsString("id=\"launch-form\""))));
        mvc.perform(post("/instances").session(session).with(csrf()).param("name", "x").param("url", "redis://h:1"))
                .andExpect(status().isForbidden());
    }

    @Test
    void anOperatorAddsInstancesAndStartsAndCancelsScans() throws Exception {
        mvc.perform(post("/api/instances").with(httpBasic("otto", "operator-pw"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"added\",\"url\":\"redis://127.0.0.1:7\"}"))
                .andExpect(status().isCreated());
        String started = mvc.perform(post("/api/instances/guarded/scans").with(httpBasic("otto", "operator-pw"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"maxKeysPerSecond\":100}"))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        String scan = JsonPath.read(started, "$.id");
        mvc.perform(delete("/api/scans/" + scan).with(httpBasic("otto", "operator-pw")))
                .andExpect(status().isOk());
        mvc.perform(delete("/api/instances/added").with(httpBasic("otto", "operator-pw")))
                .andExpect(status().isNoContent());

        MockHttpSession session = login("otto", "operator-pw");
        mvc.perform(get("/").session(session)).andExpect(content().string(containsString("id=\"add-form\"")))
                .andExpect(content().string(containsString("operator")));
        mvc.perform(post("/instances").session(session).with(csrf()).header("HX-Request", "true")
                .param("name", "from the page").param("url", "redis://127.0.0.1:8"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("Added from the page")));
        mvc.perform(post("/instances").session(session).header("HX-Request", "true")
                .param("name", "no token").param("url", "redis://127.0.0.1:8"))
                .andExpect(status().isForbidden());
        mvc.perform(logout()).andExpect(redirectedUrl("/login?logout"));
    }

    @Test
    void aWrongPasswordOnTheFormIsSaidPlainly() throws Exception {
        mvc.perform(formLogin("/login").user("otto").password("nope")).andExpect(redirectedUrl("/login?error"));
        mvc.perform(get("/login").param("error", "")).andExpect(content().string(containsString("Wrong user name or password")));
    }

    @Test
    void slowLogArgumentsAreHiddenFromViewersAndAnOperatorRevealsThem() throws Exception {
        redis.cli("CONFIG", "SET", "slowlog-log-slower-than", "0");
        redis.cli("SET", "session:42", "secret-session-value");
        String captured = mvc.perform(post("/api/instances/guarded/incidents").with(httpBasic("otto", "operator-pw"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\":\"slow\"}"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        redis.cli("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        String id = JsonPath.read(captured, "$.id");

        String viewerApi = mvc.perform(get("/api/incidents/" + id).with(httpBasic("vera", "viewer-pw")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        org.assertj.core.api.Assertions.assertThat(viewerApi).contains("\"session:42\",\"(1 argument hidden)\"")
                .doesNotContain("secret-session-value");
        mvc.perform(get("/api/incidents/" + id).param("slowlogArguments", "true").with(httpBasic("vera", "viewer-pw")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("OPERATOR")));
        for (String format : new String[] {"json", "md", "html"}) {
            mvc.perform(get("/api/incidents/" + id + "/export").param("format", format)
                    .with(httpBasic("vera", "viewer-pw"))).andExpect(status().isOk())
                    .andExpect(content().string(not(containsString("secret-session-value"))));
        }
        MockHttpSession viewer = login("vera", "viewer-pw");
        mvc.perform(get("/incidents/" + id).session(viewer)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Arguments after the key are hidden")))
                .andExpect(content().string(not(containsString("slowlog-reveal"))))
                .andExpect(content().string(not(containsString("secret-session-value"))));
        mvc.perform(get("/incidents/" + id).param("slowlogArguments", "true").session(viewer))
                .andExpect(status().isForbidden())
                .andExpect(content().string(not(containsString("secret-session-value"))));

        // an operator sees them hidden too until asking, on the page and in the API
        mvc.perform(get("/api/incidents/" + id).with(httpBasic("otto", "operator-pw")))
                .andExpect(content().string(not(containsString("secret-session-value"))));
        mvc.perform(get("/api/incidents/" + id).param("slowlogArguments", "true")
                .with(httpBasic("otto", "operator-pw"))).andExpect(status().isOk())
                .andExpect(content().string(containsString("secret-session-value")));
        MockHttpSession operator = login("otto", "operator-pw");
        mvc.perform(get("/incidents/" + id).session(operator))
                .andExpect(content().string(containsString("id=\"slowlog-reveal\"")))
                .andExpect(content().string(not(containsString("secret-session-value"))));
        mvc.perform(get("/incidents/" + id).param("slowlogArguments", "true").session(operator))
                .andExpect(status().isOk()).andExpect(content().string(containsString("secret-session-value")));
    }

    private MockHttpSession login(String user, String password) throws Exception {
        return (MockHttpSession) mvc.perform(formLogin("/login").user(user).password(password))
                .andExpect(redirectedUrl("/")).andReturn().getRequest().getSession();
    }
}
