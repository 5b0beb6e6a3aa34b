package io.memdoctor.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What the user of the current request may do, for the few answers that differ by role within a GET (which only
 * needs VIEWER). Reads the authorities directly: without users, the loopback operator is an anonymous principal
 * that {@code HttpServletRequest.isUserInRole} would not see.
 */
public final class CurrentUser {

    private static final String OPERATOR = "ROLE_" + SecurityProperties.Role.OPERATOR.name();

    private CurrentUser() {
    }

    /** True for an OPERATOR, and for everyone when no users are configured (loopback mode). */
    public static boolean isOperator() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(a -> OPERATOR.equals(a.getAuthority()));
    }
}
