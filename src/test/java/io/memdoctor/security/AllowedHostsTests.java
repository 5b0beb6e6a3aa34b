package io.memdoctor.security;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Which names a request may use without users: loopback ones, and those an operator listed; never by DNS. */
class AllowedHostsTests {

    @Test
    void loopbackNamesAndAddressesOnly() {
        AllowedHosts hosts = new AllowedHosts(List.of());
        assertThat(List.of("localhost", "localhost:8080", "localhost.:80", "127.0.0.1", "127.1.2.3:9",
                "[::1]", "[::1]:8080", "[0:0:0:0:0:0:0:1]:1")).allMatch(hosts::allowsHost);
        // names that may well resolve to 127.0.0.1 are not trusted for it: that is the rebinding trick
        assertThat(List.of("evil.test", "evil.test:8080", "localhost.evil.test", "127.0.0.1.nip.io", "0.0.0.0",
                "[::]", "10.0.0.1", "", "localhost:80x", "user@localhost", "local host", "[::1")).noneMatch(
                hosts::allowsHost);
        assertThat(hosts.allowsHost(null)).isFalse();
        assertThat(hosts.allowsOrigin("http://localhost:3000")).isTrue();
        assertThat(hosts.allowsOrigin("https://[::1]")).isTrue();
        assertThat(hosts.allowsOrigin("null")).isFalse();
        assertThat(hosts.allowsOrigin("file:///tmp/x.html")).isFalse();
        assertThat(hosts.allowsOrigin("http://evil.test")).isFalse();
    }

    @Test
    void listedHostsAreAllowedOnAnyPort() {
        AllowedHosts hosts = new AllowedHosts(List.of("Dashboard.LAN", "proxy.internal:443"));
        assertThat(hosts.allowsHost("dashboard.lan:8080")).isTrue();
        assertThat(hosts.allowsHost("proxy.internal")).isTrue();
        assertThat(hosts.allowsOrigin("https://dashboard.lan")).isTrue();
        assertThat(hosts.allowsHost("evil.dashboard.lan")).isFalse();
    }

    @Test
    void theFilterPassesListedHostsAndRefusesOthers() throws Exception {
        LoopbackHostFilter filter = new LoopbackHostFilter(new AllowedHosts(List.of("dashboard.lan")),
                new ApiProblems(JsonMapper.builder().build(), java.time.Duration.ofMinutes(1)));
        assertThat(run(filter, "GET", "dashboard.lan:8080", null, null).getStatus()).isEqualTo(200);
        MockHttpServletResponse refused = run(filter, "GET", "evil.test", null, null);
        assertThat(refused.getStatus()).isEqualTo(403);
        assertThat(refused.getContentAsString()).contains("memdoctor.security.allowed-hosts");
        // a state-changing request: Referer counts when there is no Origin, not for a plain GET
        assertThat(run(filter, "POST", "localhost", null, "http://evil.test/").getStatus()).isEqualTo(403);
        assertThat(run(filter, "POST", "localhost", "http://dashboard.lan", "http://evil.test/").getStatus())
                .isEqualTo(200);
        assertThat(run(filter, "GET", "localhost", null, "http://evil.test/").getStatus()).isEqualTo(200);
        assertThat(run(filter, "POST", "localhost", null, "http://localhost:8080/x").getStatus()).isEqualTo(200);
    }

    private static MockHttpServletResponse run(LoopbackHostFilter filter, String method, String host, String origin,
            String referer) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/instances");
        request.addHeader("Host", host);
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        if (referer != null) {
            request.addHeader("Referer", referer);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
