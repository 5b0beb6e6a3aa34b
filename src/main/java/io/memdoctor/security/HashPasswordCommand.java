package io.memdoctor.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code java -jar redis-memory-doctor.jar hash-password}: reads a password from standard input (so it stays out
 * of the shell history and the process list) and prints its bcrypt hash for {@code memdoctor.security.users}.
 */
public final class HashPasswordCommand {

    /** The first argument that runs this command instead of the dashboard. */
    public static final String NAME = "hash-password";

    private HashPasswordCommand() {
    }

    /** Prints the {@code {bcrypt}} hash of the first line of {@code in}; exits non-zero on an empty password. */
    public static int run(java.io.InputStream in, PrintStream out, PrintStream err) throws IOException {
        if (System.console() != null) {
            err.print("Password: ");
        }
        char[] typed = System.console() != null ? System.console().readPassword() : null;
        String password = typed != null ? new String(typed)
                : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
            err.println("No password given on standard input.");
            return 1;
        }
        out.println("{bcrypt}" + new BCryptPasswordEncoder(10).encode(password));
        return 0;
    }
}
