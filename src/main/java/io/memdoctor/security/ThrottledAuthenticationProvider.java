package io.memdoctor.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The form login's and HTTP Basic's password check, behind {@link LoginThrottle}. The delegate (Spring's
 * {@code DaoAuthenticationProvider}) already answers "bad credentials" alike for an unknown user and a wrong
 * password, and spends the same bcrypt time on both.
 */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {

    static final String MESSAGE = "Too many failed logins for this user or from this address: wait a minute and try"
            + " again.";

    private final AuthenticationProvider delegate;
    private final LoginThrottle throttle;

    ThrottledAuthenticationProvider(AuthenticationProvider delegate, LoginThrottle throttle) {
        this.delegate = delegate;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String user = authentication.getName();
        String address = authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : "unknown";
        if (throttle.blocked(user, address)) {
            throw new LoginThrottledException(MESSAGE);
        }
        try {
            Authentication done = delegate.authenticate(authentication);
            if (done != null) {
                throttle.succeeded(user);
            }
            return done;
        }
        catch (BadCredentialsException ex) {
            throttle.failed(user, address);
            throw ex;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}
