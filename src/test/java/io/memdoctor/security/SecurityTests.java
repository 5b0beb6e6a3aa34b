package io.memdoctor.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The default mode: on loopback with no users, nobody logs in, but a page on another origin still cannot make the
 * dashboard add an instance, and every answer carries the security headers.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class SecurityTests {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    @Autowired
    MockMvc mvc;

    @Test
    void pagesAndApiOpenWithoutLoginAndCarryTheSecurityHeaders() throws Exception {
        mvc.perform(get("/")).andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", CSP))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("Referrer-Policy", "same-origin"))
                .andExpect(header().string("Permissions-Policy", containsString("camera=()")))
                .andExpect(content().string(containsString("<meta name=\"_csrf\" content=\"")))
                .andExpect(content().string(containsString("id=\"add-form\"")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Log out"))));
        mvc.perform(get("/api/instances")).andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", CSP));
        mvc.perform(get("/login")).andExpect(redirectedUrl("/"));
    }

    @Test
    void scriptsAndClientsWithoutCookiesUseTheApiWithoutAToken() throws Exception {
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"curl-added\",\"url\":\"redis://127.0.0.1:7\"}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON).header("Origin", "http://localhost")
                .header("Host", "localhost").header("Sec-Fetch-Site", "same-origin")
                .content("{\"name\":\"same-origin\",\"url\":\"redis://127.0.0.1:7\"}"))
                .andExpect(status().isCreated());
    }

    @Test
    void crossSiteRequestsAreRefused() throws Exception {
        // a form or fetch on someone else's site: the browser says where it comes from
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                .content("{\"name\":\"evil\",\"url\":\"redis://evil.example:6379\"}"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("CSRF")));
        // another web app on this machine (another port) is same-site, but not same-origin
        mvc.perform(post("/api/instances/evil/scans").header("Origin", "http://localhost:3000")
                .header("Host", "localhost:8080").header("Sec-Fetch-Site", "same-site"))
                .andExpect(status().isForbidden());
        // an old browser without Origin still sends the session cookie: then the token is required
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .cookie(new Cookie("JSESSIONID", "abc"))
                .content("{\"name\":\"evil\",\"url\":\"redis://evil.example:6379\"}"))
                .andExpect(status().isForbidden());
        // a page form posted from elsewhere has no token
        mvc.perform(post("/instances").param("name", "evil").param("url", "redis://evil.example:6379"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/instances")).andExpect(jsonPath("$[?(@.name == 'evil')]").isEmpty());
    }

    @Test
    void aPageRebindingItsNameToThisMachineIsRefused() throws Exception {
        // DNS rebinding: evil.test re-resolves to 127.0.0.1, so to the browser the dashboard is evil.test's own
        // origin (no CORS, same-origin fetch); only the names it sends give it away
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON).header("Host", "evil.test:8080")
                .header("Origin", "http://evil.test:8080").header("Sec-Fetch-Site", "same-origin")
                .content("{\"name\":\"rebound\",\"url\":\"redis://10.0.0.5:6379\"}"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Host not allowed"))
                .andExpect(jsonPath("$.detail").value(containsString("memdoctor.security.allowed-hosts")))
                .andExpect(jsonPath("$.detail").value(containsString("evil.test:8080")));
        mvc.perform(get("/api/instances")).andExpect(jsonPath("$[?(@.name == 'rebound')]").isEmpty());
        // reading is refused too: key names and instances are what such a page is after
        mvc.perform(get("/api/instances").header("Host", "evil.test")).andExpect(status().isForbidden());
        String page = mvc.perform(get("/").header("Host", "<b>evil</b>.test")).andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Host not allowed").contains("memdoctor.security.allowed-hosts")
                .contains("&lt;b&gt;evil").doesNotContain("<b>");
        // a page elsewhere that names itself in Origin, or in Referer when it sends no Origin
        mvc.perform(get("/api/instances").header("Origin", "http://evil.test")).andExpect(status().isForbidden());
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .header("Referer", "http://evil.test/attack.html")
                .content("{\"name\":\"referred\",\"url\":\"redis://10.0.0.5:6379\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/instances")).andExpect(jsonPath("$[?(@.name == 'referred')]").isEmpty());
    }

    @Test
    void loopbackNamesAndAddressesOnAnyPortAreAnswered() throws Exception {
        for (String host : new String[] {"localhost", "localhost:8080", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8080",
            "[::1]", "[::1]:8080"}) {
            mvc.perform(get("/api/instances").header("Host", host)).andExpect(status().isOk());
        }
        mvc.perform(get("/api/instances").header("Host", "localhost:8080").header("Origin", "http://127.0.0.1:8080"))
                .andExpect(status().isOk());
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON).header("Host", "[::1]:8080")
                .header("Referer", "http://[::1]:8080/")
                .content("{\"name\":\"v6 loopback\",\"url\":\"redis://127.0.0.1:7\"}"))
                .andExpect(status().isCreated());
    }

    @Test
    void htmxSendsThePageTokenAndItsPostsWork() throws Exception {
        MockHttpSession session = new MockHttpSession();
        MvcResult page = mvc.perform(get("/").session(session)).andExpect(status().isOk()).andReturn();
        String html = page.getResponse().getContentAsString();
        String token = meta(html, "_csrf");
        String headerName = meta(html, "_csrf_header");
        assertThat(headerName).isEqualTo("X-CSRF-TOKEN");

        mvc.perform(post("/instances").session(session).header("HX-Request", "true").header(headerName, token)
                .header("Origin", "http://localhost").header("Sec-Fetch-Site", "same-origin")
                .param("name", "via htmx").param("url", "redis://127.0.0.1:9"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("Added via htmx")));
        // the instance page's "Sample now" posts to the API with the page's session and token
        mvc.perform(post("/api/instances/via-htmx/snapshots").session(session).header("HX-Request", "true")
                .cookie(new Cookie("JSESSIONID", session.getId())).header(headerName, token))
                .andExpect(status().isCreated());
        mvc.perform(post("/instances").session(session).header("HX-Request", "true").header(headerName, "forged")
                .param("name", "forged").param("url", "redis://127.0.0.1:9"))
                .andExpect(status().isForbidden());
    }

    static String meta(String html, String name) {
        Matcher matcher = Pattern.compile("<meta name=\"" + name + "\" content=\"([^\"]+)\"").matcher(html);
        assertThat(matcher.find()).as("meta " + name).isTrue();
        return matcher.group(1);
    }
}
