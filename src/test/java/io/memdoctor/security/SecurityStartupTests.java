package io.memdoctor.security;

import java.nio.file.Files;
import java.nio.file.Path;

import io.memdoctor.RedisMemoryDoctorApplication;
import io.memdoctor.support.DashboardProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exposed without users, or with a plain-text password, the dashboard refuses to start and says what to set. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityStartupTests {

    @Test
    void allInterfacesWithoutUsersIsRefusedWithTheFix(CapturedOutput output) {
        assertThatThrownBy(() -> start("--server.address=0.0.0.0"))
                .hasRootCauseInstanceOf(SecuritySetupException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("would listen on 0.0.0.0 (server.address) without any user configured")
                .contains("memdoctor.security.users[0].name").contains("hash-password");
    }

    @Test
    void noAddressMeansEveryInterfaceAndIsRefusedToo(CapturedOutput output) {
        assertThatThrownBy(() -> start("--server.address=")).hasRootCauseInstanceOf(SecuritySetupException.class);
        assertThat(output).contains("every network interface (server.address is not set)");
    }

    @Test
    void aPlainTextPasswordIsRefusedWithHowToHashIt(CapturedOutput output) {
        assertThatThrownBy(() -> start("--memdoctor.security.users[0].name=alice",
                "--memdoctor.security.users[0].password=secret", "--memdoctor.security.users[0].role=OPERATOR"))
                .hasRootCauseInstanceOf(SecuritySetupException.class);
        assertThat(output).contains("memdoctor.security.users[0].password (user 'alice') is not a bcrypt hash")
                .contains("htpasswd -bnBC 10").doesNotContain("secret'");
    }

    @Test
    void theRealProcessExitsWithoutOpeningItsPort(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("dashboard.log");
        assertThatThrownBy(() -> DashboardProcess.start(log, "--server.address=0.0.0.0",
                "--memdoctor.data-dir=" + dir, "--memdoctor.sampling.enabled=false"))
                .hasMessageContaining("exited with 1");
        assertThat(Files.readString(log)).contains("APPLICATION FAILED TO START")
                .contains("memdoctor.security.users[0].password");
    }

    @Test
    void loopbackNamesAreLoopback() {
        assertThat(ListenAddress.isLoopback("127.0.0.1")).isTrue();
        assertThat(ListenAddress.isLoopback("::1")).isTrue();
        assertThat(ListenAddress.isLoopback("localhost")).isTrue();
        assertThat(ListenAddress.isLoopback("0.0.0.0")).isFalse();
        assertThat(ListenAddress.isLoopback(null)).isFalse();
        assertThat(ListenAddress.isLoopback("")).isFalse();
    }

    private static void start(String... args) {
        new SpringApplicationBuilder(RedisMemoryDoctorApplication.class).profiles("test")
                .run(concat(args, "--server.port=0", "--spring.main.banner-mode=off")).close();
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
