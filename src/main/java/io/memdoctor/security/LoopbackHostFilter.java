package io.memdoctor.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * Without users, the dashboard trusts whoever reaches it on loopback. A web page elsewhere can reach it too, through
 * DNS rebinding: its name re-resolves to 127.0.0.1, and the browser then treats the dashboard as that page's own
 * origin (no CORS, no CSRF signal). What it cannot change is the {@code Host} it sends: the attacker's name. So
 * only loopback names and addresses (and {@code memdoctor.security.allowed-hosts}) are answered, in {@code Host}
 * and in {@code Origin}; a state-changing request without {@code Origin} is held to its {@code Referer} when it
 * has one.
 */
final class LoopbackHostFilter extends OncePerRequestFilter {

    static final String PROPERTY = "memdoctor.security.allowed-hosts";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final int SHOWN = 100;

    private final AllowedHosts hosts;
    private final ApiProblems problems;

    LoopbackHostFilter(AllowedHosts hosts, ApiProblems problems) {
        this.hosts = hosts;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader("Host");
        if (host == null) {
            // HTTP/1.0 without Host: no browser sends that, and the server name is then our own address
            host = request.getServerName();
        }
        if (!hosts.allowsHost(host)) {
            refuse(request, response, "host '" + shown(host) + "'");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !hosts.allowsOrigin(origin)) {
            refuse(request, response, "a page of '" + shown(origin) + "' (Origin)");
            return;
        }
        String referer = request.getHeader("Referer");
        if (origin == null && referer != null && !SAFE_METHODS.contains(request.getMethod())
                && !hosts.allowsOrigin(referer)) {
            refuse(request, response, "a page of another site (Referer)");
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String what) throws IOException {
        String detail = "This dashboard runs without users, so it answers only requests for localhost, 127.0.0.1 or"
                + " [::1] (any port); this one came for " + what + ". Open it as http://localhost:"
                + request.getLocalPort() + "/. If that name really is this machine (say a reverse proxy on it), list"
                + " it in " + PROPERTY + "; to serve a team, configure users (memdoctor.security.users) instead.";
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            problems.write(response, HttpStatus.FORBIDDEN, "Host not allowed", detail, request);
            return;
        }
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Host not allowed · Redis Memory Doctor</title></head><body><main>"
                + "<p>Error 403</p><h1>Host not allowed</h1><p>" + HtmlUtils.htmlEscape(detail) + "</p>"
                + "</main></body></html>");
    }

    /** What the request named, printable and short: it is the attacker's text. */
    private static String shown(String text) {
        String printable = text.codePoints().filter(c -> c >= ' ' && c != 0x7f && c != '\'')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > SHOWN ? printable.substring(0, SHOWN) + "…" : printable;
    }
}
