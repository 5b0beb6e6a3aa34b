package io.memdoctor.security;

import java.net.URI;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which requests must carry the CSRF token. Every state-changing request to a page does. A state-changing request
 * to {@code /api/**} does only when it could come from a browser on someone else's site: it sends cookies, or its
 * {@code Origin} / {@code Sec-Fetch-Site} say it is cross-origin. curl and scripts send neither, so they keep
 * working without fetching a token, with or without HTTP Basic credentials; see docs/decisions.md.
 */
final class CsrfTokenRequired implements RequestMatcher {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> SAME_ORIGIN_FETCH = Set.of("same-origin", "none");

    @Override
    public boolean matches(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return false;
        }
        if (!request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            return true;
        }
        return request.getHeader("Cookie") != null || isCrossOrigin(request);
    }

    /** True when a browser says the request was made by a page of another origin (another port counts). */
    static boolean isCrossOrigin(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !SAME_ORIGIN_FETCH.contains(fetchSite)) {
            return true;
        }
        String origin = request.getHeader("Origin");
        return origin != null && !sameHost(origin, request.getHeader("Host"));
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || host == null) {
                return false;
            }
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority.equalsIgnoreCase(host) || (uri.getPort() < 0 && defaultPort(uri, host));
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static boolean defaultPort(URI origin, String host) {
        String port = "https".equals(origin.getScheme()) ? ":443" : ":80";
        return (origin.getHost() + port).equalsIgnoreCase(host);
    }
}
