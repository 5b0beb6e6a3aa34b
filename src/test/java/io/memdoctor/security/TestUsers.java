package io.memdoctor.security;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The two users of the security tests, configured as a deployment would: bcrypt hashes made here (cost 4, to keep
 * tests fast), one without and one with the {@code {bcrypt}} prefix.
 */
final class TestUsers {

    private static final String VIEWER = "vera";
    private static final String VIEWER_PASSWORD = "viewer-pw";
    private static final String OPERATOR = "otto";
    private static final String OPERATOR_PASSWORD = "operator-pw";

    private TestUsers() {
    }

    static void register(DynamicPropertyRegistry registry) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        registry.add("memdoctor.security.users[0].name", () -> VIEWER);
        registry.add("memdoctor.security.users[0].password", () -> bcrypt.encode(VIEWER_PASSWORD));
        registry.add("memdoctor.security.users[0].role", () -> "VIEWER");
        registry.add("memdoctor.security.users[1].name", () -> OPERATOR);
        registry.add("memdoctor.security.users[1].password", () -> "{bcrypt}" + bcrypt.encode(OPERATOR_PASSWORD));
        registry.add("memdoctor.security.users[1].role", () -> "OPERATOR");
    }
}
