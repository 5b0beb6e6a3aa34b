package io.memdoctor.secrets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTests {

    @TempDir
    Path dir;

    @Test
    void sealedValuesOpenAgainAndNeverRepeat() {
        SecretBox box = SecretBox.withKey(new byte[32]);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String sealed = box.seal("hunter2-ünïcode");
            assertThat(sealed).startsWith("v1:").doesNotContain("hunter2");
            assertThat(box.open(sealed)).isEqualTo("hunter2-ünïcode");
            seen.add(sealed);
        }
        assertThat(seen).as("a fresh nonce per value").hasSize(100);
        // nonce (12) + ciphertext + tag (16)
        assertThat(Base64.getDecoder().decode(box.seal("x").substring(3))).hasSize(12 + 1 + 16);
    }

    @Test
    void anotherKeyOrAnAlteredValueIsRefusedWithAClearMessage() {
        String sealed = SecretBox.withKey(new byte[32]).seal("pw");
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> SecretBox.withKey(other).open(sealed))
                .isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("cannot be decrypted").hasMessageContaining("sealed with another key");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String altered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> SecretBox.withKey(new byte[32]).open(altered))
                .isInstanceOf(SecretsUnavailableException.class);
        assertThatThrownBy(() -> SecretBox.withKey(new byte[32]).open("redis://x")).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void withoutAConfiguredKeyOneIsGeneratedOwnerOnlyInTheDataDirectoryAndKept() throws Exception {
        Path data = dir.resolve("data");
        SecretBox first = new SecretBox(() -> SecretKeys.load(null, data));
        assertThat(data).doesNotExist();
        String sealed = first.seal("pw");

        Path file = data.resolve("secret.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        assertThat(key).hasSize(32);

        SecretBox restarted = new SecretBox(() -> SecretKeys.load("", data));
        assertThat(restarted.open(sealed)).isEqualTo("pw");
        // the file's key works as memdoctor.secrets.key too (a backup of the file is that line)
        String line = Files.readString(file);
        SecretBox fromProperty = new SecretBox(() -> SecretKeys.load(line, dir.resolve("elsewhere")));
        assertThat(fromProperty.open(sealed)).isEqualTo("pw");
        assertThat(dir.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void aMalformedConfiguredKeyIsRefusedSayingWhatToSet() {
        assertThatThrownBy(() -> SecretKeys.load("not base64!", dir)).isInstanceOf(SecretsUnavailableException.class)
                .hasMessageContaining("memdoctor.secrets.key").hasMessageContaining("not valid base64")
                .extracting(ex -> ((SecretsUnavailableException) ex).action()).asString()
                .contains("openssl rand -base64 32");
        assertThatThrownBy(() -> SecretKeys.load(Base64.getEncoder().encodeToString(new byte[16]), dir))
                .hasMessageContaining("has 16 bytes; it must have 32");
    }

    @Test
    void derivedKeysDependOnLabelAndInstallation() {
        SecretBox one = SecretBox.withKey(new byte[32]);
        byte[] otherKey = new byte[32];
        otherKey[31] = 7;
        assertThat(one.derive("a")).hasSize(32).isEqualTo(SecretBox.withKey(new byte[32]).derive("a"))
                .isNotEqualTo(one.derive("b")).isNotEqualTo(SecretBox.withKey(otherKey).derive("a"));
    }

    @Test
    void h2FileUrlsNameTheirDirectory() {
        assertThat(H2Files.directoryOf("jdbc:h2:file:./data/memdoctor;DB_CLOSE_ON_EXIT=FALSE"))
                .contains(Path.of("data").toAbsolutePath());
        assertThat(H2Files.directoryOf("jdbc:h2:mem:x")).isEmpty();
        assertThat(H2Files.directoryOf("jdbc:postgresql://127.0.0.1/x")).isEmpty();
    }
}
