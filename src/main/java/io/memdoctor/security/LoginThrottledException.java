package io.memdoctor.security;

import org.springframework.security.core.AuthenticationException;

/** A login refused unchecked because its user name or client address failed too often (429 on the API). */
class LoginThrottledException extends AuthenticationException {

    LoginThrottledException(String message) {
        super(message);
    }
}
