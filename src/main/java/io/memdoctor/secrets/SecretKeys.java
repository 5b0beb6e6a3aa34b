package io.memdoctor.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the installation key comes from: {@code memdoctor.secrets.key} when set (base64 of 32 bytes), else the file
 * {@code secret.key} in the data directory, generated on first use. The file holds the key in base64, so it can be
 * copied into {@code MEMDOCTOR_SECRETS_KEY} as it is; it is written owner-only (0600) in an owner-only directory
 * (0700) and created with those permissions, never tightened afterwards, so no other user ever sees it readable.
 */
final class SecretKeys {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SecretKeys.class);

    static final String PROPERTY = "memdoctor.secrets.key";
    static final String FILE_NAME = "secret.key";
    private static final int KEY_BYTES = 32;

    /** A loaded key and where it came from (for messages; never the key). */
    record Loaded(byte[] bytes, String description) {

        @Override
        public String toString() {
            return "key from " + description;
        }
    }

    private SecretKeys() {
    }

    static Loaded load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return new Loaded(decode(configured.strip(), PROPERTY + " (or MEMDOCTOR_SECRETS_KEY)"),
                    PROPERTY + " (or MEMDOCTOR_SECRETS_KEY)");
        }
        Path file = dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
        String description = "the key file " + file;
        try {
            OwnerOnly.directory(file.getParent());
            if (!Files.exists(file)) {
                generate(file);
            }
            return new Loaded(decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), description),
                    description);
        }
        catch (IOException ex) {
            throw new SecretsUnavailableException("The secrets key file " + file + " cannot be read or created: "
                    + ex.getClass().getSimpleName() + " " + ex.getMessage(),
                    "Make memdoctor.data-dir writable by this user, or set " + PROPERTY
                            + " (MEMDOCTOR_SECRETS_KEY) to a base64 256-bit key, for example the output of"
                            + " `openssl rand -base64 32`.");
        }
    }

    private static void generate(Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            // CREATE_NEW with the permissions given at creation: two dashboards starting at once cannot both win,
            // and the file is never readable by others, not even for an instant
            Files.write(OwnerOnly.createFile(file), text, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            log.info("Generated the secrets key {} (owner-only). Keep it with backups of the database: stored"
                    + " passwords cannot be read without it. Dashboards sharing one database need the same key:"
                    + " set {} on each.", file, PROPERTY);
        }
        catch (FileAlreadyExistsException ex) {
            // another process generated it first: use theirs
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException ex) {
            throw new SecretsUnavailableException("The secrets key in " + source + " is not valid base64.",
                    "Set it to 32 random bytes in base64, for example the output of `openssl rand -base64 32`.");
        }
        return checkLength(key, source);
    }

    static byte[] checkLength(byte[] key, String source) {
        if (key.length != KEY_BYTES) {
            throw new SecretsUnavailableException("The secrets key in " + source + " has " + key.length
                    + " bytes; it must have 32 (256 bits).",
                    "Set it to 32 random bytes in base64, for example the output of `openssl rand -base64 32`.");
        }
        return key;
    }
}
