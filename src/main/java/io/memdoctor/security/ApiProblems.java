package io.memdoctor.security;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's answers to "who are you?" (401, with the HTTP Basic challenge) and "you may not" (403) as RFC 9457
 * problem details, like every other API error, instead of a redirect to the login page.
 */
final class ApiProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "Redis Memory Doctor";

    private final JsonMapper json;
    private final Duration throttleWindow;

    ApiProblems(JsonMapper json, Duration throttleWindow) {
        this.json = json;
        this.throttleWindow = throttleWindow;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        if (ex instanceof LoginThrottledException) {
            response.setHeader("Retry-After", String.valueOf(Math.max(1, throttleWindow.toSeconds())));
            write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins", ex.getMessage(), request);
            return;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        write(response, HttpStatus.UNAUTHORIZED, "Authentication required",
                "Send the user name and password of a configured user with HTTP Basic.", request);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        String detail = ex instanceof CsrfException
                ? "A state-changing request from a browser needs the page's CSRF token; cross-site requests are refused."
                : "Your role may not do this; it needs OPERATOR.";
        write(response, HttpStatus.FORBIDDEN, "Forbidden", detail, request);
    }

    void write(HttpServletResponse response, HttpStatus status, String title, String detail,
            HttpServletRequest request) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI().replaceAll("[^\\w/.\\-~%]", ""));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(problem));
    }
}
