package io.memdoctor.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code memdoctor.security}.
 *
 * @param users who may sign in; with none, the dashboard is open to whoever reaches it, which is only allowed
 *     while it listens on loopback ({@code server.address=127.0.0.1}, the default)
 */
@ConfigurationProperties("memdoctor.security")
public record SecurityProperties(List<User> users) {

    public SecurityProperties {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /** What a user may do. */
    public enum Role {
        /** Sees every page and API answer. */
        VIEWER,
        /** Also adds and removes instances, launches and cancels scans, captures and imports incidents. */
        OPERATOR
    }

    /**
     * One user. A class, not a record: a record's {@code toString} would print the password hash.
     */
    public static final class User {

        private final String name;
        private final String password;
        private final Role role;

        /**
         * @param name the login name
         * @param password a bcrypt hash, with or without the {@code {bcrypt}} prefix; never the password itself
         * @param role {@code VIEWER} or {@code OPERATOR}
         */
        public User(String name, String password, Role role) {
            this.name = name;
            this.password = password;
            this.role = role;
        }

        public String name() {
            return name;
        }

        public String password() {
            return password;
        }

        public Role role() {
            return role;
        }

        @Override
        public String toString() {
            return "User[name=" + name + ", role=" + role + ", password=***]";
        }
    }
}
