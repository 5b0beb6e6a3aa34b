package io.memdoctor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Pages and their htmx fragments share one URL: a request with {@code HX-Request} gets the fragment. Responses say
 * {@code Vary: HX-Request} so no cache hands a fragment to a full page load.
 */
public final class HtmxRequests {

    private HtmxRequests() {
    }

    /** True for requests htmx made; also sets {@code Vary: HX-Request} on the response. */
    public static boolean isHtmx(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader("Vary", "HX-Request");
        return "true".equals(request.getHeader("HX-Request"));
    }
}
