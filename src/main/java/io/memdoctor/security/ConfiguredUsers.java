package io.memdoctor.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The users of {@code memdoctor.security.users}, checked: none at all is only allowed on loopback, each needs a
 * name, a role and a bcrypt hash. An operator holds both roles, so every "VIEWER may" rule includes operators.
 */
final class ConfiguredUsers {

    private ConfiguredUsers() {
    }

    /** The users to log in with; throws {@link SecuritySetupException} when the settings are unsafe or unusable. */
    static List<UserDetails> of(SecurityProperties properties, String serverAddress) {
        if (properties.users().isEmpty() && !ListenAddress.isLoopback(serverAddress)) {
            throw new SecuritySetupException("The dashboard would listen on " + (serverAddress == null
                    || serverAddress.isBlank() ? "every network interface (server.address is not set)"
                    : serverAddress + " (server.address)") + " without any user configured: anyone who reaches it"
                    + " could read Redis data, add instances and start scans.", "Either keep it on this machine"
                    + " (server.address=127.0.0.1, the default), or configure users: memdoctor.security.users[0].name,"
                    + " memdoctor.security.users[0].password (a bcrypt hash) and memdoctor.security.users[0].role"
                    + " (VIEWER or OPERATOR), for example as MEMDOCTOR_SECURITY_USERS_0_NAME / _PASSWORD / _ROLE. "
                    + PasswordHashes.HOW_TO_HASH + ".");
        }
        List<UserDetails> users = new ArrayList<>();
        for (int i = 0; i < properties.users().size(); i++) {
            SecurityProperties.User user = properties.users().get(i);
            if (user.name() == null || user.name().isBlank() || user.role() == null) {
                throw new SecuritySetupException("memdoctor.security.users[" + i + "] needs a name and a role.",
                        "Set memdoctor.security.users[" + i + "].name and .role (VIEWER or OPERATOR).");
            }
            users.add(User.withUsername(user.name()).password(PasswordHashes.normalize(user, i))
                    .roles(roles(user.role())).build());
        }
        return users;
    }

    private static String[] roles(SecurityProperties.Role role) {
        return role == SecurityProperties.Role.OPERATOR
                ? new String[] {SecurityProperties.Role.VIEWER.name(), SecurityProperties.Role.OPERATOR.name()}
                : new String[] {SecurityProperties.Role.VIEWER.name()};
    }
}
