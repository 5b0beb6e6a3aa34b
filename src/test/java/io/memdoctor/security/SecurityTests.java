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
