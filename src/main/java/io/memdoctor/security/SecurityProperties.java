package io.memdoctor.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code memdoctor.security}.
 *
 * @param users who may sign in; with none, the dashboard is open to whoever reaches it, which is only allowed
 *     while it listens on loopback ({@code server.address=127.0.0.1}, the default)
 * @param allowedHosts without users, the host names (no port) a request may name in {@code Host} and
 *     {@code Origin} besides {@code localhost}, {@code 127.0.0.1} and {@code [::1]}: only for a name that really is
 *     this machine, such as a reverse proxy running on it (see {@link LoopbackHostFilter})
 * @param login how failed logins are throttled
 */
@ConfigurationProperties("memdoctor.security")
public record SecurityProperties(List<User> users, List<String> allowedHosts, @DefaultValue Login login) {

    public SecurityProperties {
        users = users == null ? List.of() : List.copyOf(users);
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        login = login == null ? new Login(10, Duration.ofMinutes(1)) : login;
    }

    /**
     * @param maxFailures failed logins allowed per user name and per client address within {@code window}; the
     *     next attempt is refused without checking the password
     * @param window how long a failed login counts
     */
    public record Login(@DefaultValue("10") int maxFailures, @DefaultValue("1m") Duration window) {

        public Login {
            if (maxFailures < 1 || window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("memdoctor.security.login.max-failures must be at least 1 and"
                        + " memdoctor.security.login.window positive");
            }
        }
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
