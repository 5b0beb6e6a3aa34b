package io.memdoctor.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hash-password} prints a hash the dashboard accepts and that matches the password it read. */
class HashPasswordCommandTests {

    @Test
    void printsAnAcceptedBcryptHashOfStandardInput() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = HashPasswordCommand.run(new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String hash = out.toString(StandardCharsets.UTF_8).trim();

        assertThat(exit).isZero();
        assertThat(hash).startsWith("{bcrypt}$2a$10$").doesNotContain("s3cret");
        String accepted = PasswordHashes.normalize(new SecurityProperties.User("alice", hash,
                SecurityProperties.Role.VIEWER), 0);
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("s3cret pass", accepted)).isTrue();
        assertThat(new SecurityProperties.User("alice", hash, SecurityProperties.Role.VIEWER).toString())
                .doesNotContain("$2a$");
    }

    @Test
    void anEmptyInputIsRefused() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = HashPasswordCommand.run(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No password");
    }
}
