package io.memdoctor.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.catalina.Context;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Failed logins are throttled per user and per address, before bcrypt runs; an unknown user and a wrong password
 * look alike; the session cookie is {@code Secure} behind an HTTPS proxy, and an idle session ends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.forward-headers-strategy=native")
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import(LoginThrottleTests.CountingEncoder.class)
class LoginThrottleTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    CountingEncoder encoder;

    @Autowired
    WebServerApplicationContext context;

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
        TestUsers.register(registry);
    }

    @Test
    void theEleventhWrongPasswordInAMinuteIsRefusedWithoutABcryptCheck() throws Exception {
        int before = encoder.checks.get();
        for (int i = 1; i <= 10; i++) {
            assertThat(basic("otto", "wrong-" + i, "198.51.100.1").getStatus()).as("attempt " + i).isEqualTo(401);
        }
        assertThat(encoder.checks.get() - before).isEqualTo(10);
        MockHttpServletResponse eleventh = basic("otto", "wrong-11", "198.51.100.1");
        assertThat(eleventh.getStatus()).isEqualTo(429);
        assertThat(eleventh.getHeader("Retry-After")).isEqualTo("60");
        assertThat(eleventh.getContentAsString()).contains("Too many failed logins");
        // the right password too: while throttled nothing is checked, so nothing is learnt
        assertThat(basic("otto", "operator-pw", "198.51.100.1").getStatus()).isEqualTo(429);
        // the user name is throttled from every address
        assertThat(basic("otto", "operator-pw", "198.51.100.77").getStatus()).isEqualTo(429);
        assertThat(encoder.checks.get() - before).isEqualTo(10);
        // another user elsewhere logs in as usual
        assertThat(basic("vera", "viewer-pw", "198.51.100.2").getStatus()).isEqualTo(200);
        assertThat(encoder.checks.get() - before).isEqualTo(11);
    }

    @Test
    void anUnknownUserAndAWrongPasswordLookAlikeAndCountPerAddress() throws Exception {
        MockHttpServletResponse unknown = basic("nobody-0", "guess", "203.0.113.9");
        MockHttpServletResponse wrong = basic("vera", "guess", "203.0.113.10");
        assertThat(unknown.getStatus()).isEqualTo(wrong.getStatus()).isEqualTo(401);
        assertThat(unknown.getContentAsString()).isEqualTo(wrong.getContentAsString());
        assertThat(unknown.getHeader("WWW-Authenticate")).isEqualTo(wrong.getHeader("WWW-Authenticate"));
        for (int i = 1; i < 10; i++) {
            assertThat(basic("nobody-" + i, "guess", "203.0.113.9").getStatus()).isEqualTo(401);
        }
        int before = encoder.checks.get();
        // ten different names from one address: the address is throttled, whoever it tries next
        assertThat(basic("vera", "viewer-pw", "203.0.113.9").getStatus()).isEqualTo(429);
        assertThat(encoder.checks.get()).isEqualTo(before);
    }

    @Test
    void theLoginFormSaysWhenItIsThrottled() throws Exception {
        for (int i = 1; i <= 10; i++) {
            assertThat(form("form-user", "wrong", "192.0.2.44").getRedirectedUrl()).isEqualTo("/login?error");
        }
        int before = encoder.checks.get();
        assertThat(form("form-user", "wrong", "192.0.2.44").getRedirectedUrl()).isEqualTo("/login?throttled");
        assertThat(encoder.checks.get()).isEqualTo(before);
        assertThat(mvc.perform(get("/login").param("throttled", "")).andReturn().getResponse().getContentAsString())
                .contains("Too many failed logins");
    }

    @Test
    void theSessionCookieIsSecureBehindAnHttpsProxyAndAnIdleSessionEnds() throws Exception {
        int port = context.getWebServer().getPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> viaProxy = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/login")).header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(viaProxy.statusCode()).isEqualTo(200);
        assertThat(viaProxy.headers().firstValue("Set-Cookie")).get().asString().startsWith("JSESSIONID=")
                .contains("; Secure").contains("; HttpOnly").contains("SameSite=Lax");
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.headers().firstValue("Set-Cookie")).get().asString().startsWith("JSESSIONID=")
                .doesNotContain("Secure");
        // server.servlet.session.timeout from application.yml, as Tomcat applies it (whole minutes)
        Context webapp = (Context) ((TomcatWebServer) context.getWebServer()).getTomcat().getHost()
                .findChildren()[0];
        assertThat(webapp.getSessionTimeout()).isEqualTo(30);
    }

    private MockHttpServletResponse basic(String user, String password, String address) throws Exception {
        return mvc.perform(get("/api/instances").with(httpBasic(user, password)).with(from(address))).andReturn()
                .getResponse();
    }

    private MockHttpServletResponse form(String user, String password, String address) throws Exception {
        return mvc.perform(post("/login").param("username", user).param("password", password).with(csrf())
                .with(from(address))).andReturn().getResponse();
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    /** The application's encoder, counting its password checks: a throttled login must not reach it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CountingEncoder implements PasswordEncoder {

        final AtomicInteger checks = new AtomicInteger();
        private final PasswordEncoder delegate = PasswordEncoderFactories.createDelegatingPasswordEncoder();

        @Override
        public String encode(CharSequence raw) {
            return delegate.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return delegate.matches(raw, encoded);
        }

        @Bean
        @Primary
        PasswordEncoder countingPasswordEncoder() {
            return this;
        }
    }
}
