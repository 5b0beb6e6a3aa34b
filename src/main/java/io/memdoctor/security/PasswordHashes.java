package io.memdoctor.security;

import java.util.regex.Pattern;

/** Configured passwords must be bcrypt hashes; this checks them and says how to make one. */
final class PasswordHashes {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d{2}\\$[./0-9A-Za-z]{53}");
    private static final String PREFIX = "{bcrypt}";

    static final String HOW_TO_HASH = "Hash a password with  java -jar redis-memory-doctor.jar hash-password"
            + "  (reads it from standard input) or  htpasswd -bnBC 10 \"\" 'the-password' | tr -d ':\\n'";

    private PasswordHashes() {
    }

    /** The hash with the {@code {bcrypt}} prefix Spring Security's delegating encoder expects. */
    static String normalize(SecurityProperties.User user, int index) {
        String hash = user.password() == null ? "" : user.password().trim();
        if (hash.startsWith(PREFIX)) {
            hash = hash.substring(PREFIX.length());
        }
        if (!BCRYPT.matcher(hash).matches()) {
            throw new SecuritySetupException("memdoctor.security.users[" + index + "].password (user '" + user.name()
                    + "') is not a bcrypt hash. Plain-text passwords are refused.",
                    HOW_TO_HASH + ", and set the result (for example $2y$10$...) as the password.");
        }
        return PREFIX + hash;
    }
}
