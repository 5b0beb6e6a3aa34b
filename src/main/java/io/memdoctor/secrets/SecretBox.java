package io.memdoctor.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals short secrets (Redis passwords, notification-channel tokens) before they reach the database, and opens them
 * again: AES-256-GCM with a random 96-bit nonce per value, written as {@code v1:<base64(nonce | ciphertext | tag)>}.
 * The version prefix names the format and key generation, so a later key rotation can tell old values from new ones.
 *
 * <p>The key never lives in the database: it comes from {@code memdoctor.secrets.key} (base64, 256 bits; also
 * {@code MEMDOCTOR_SECRETS_KEY}) or from {@code <memdoctor.data-dir>/secret.key}, generated owner-only on first use
 * (see {@link SecretKeys}). A database copied without that key holds nothing usable.
 *
 * <p>The same key also yields per-installation keys for other uses through {@link #derive(String)} (for example the
 * HMAC key of redacted exports), so one secret is kept, not several.
 */
public final class SecretBox {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<SecretKeys.Loaded> source;
    private volatile SecretKeys.Loaded loaded;

    SecretBox(Supplier<SecretKeys.Loaded> source) {
        this.source = source;
    }

    /** A box with this 256-bit key, for tests and tools. */
    public static SecretBox withKey(byte[] key) {
        SecretKeys.Loaded fixed = new SecretKeys.Loaded(SecretKeys.checkLength(key.clone(), "the given key"),
                "the given key");
        return new SecretBox(() -> fixed);
    }

    /** True when the value is in a sealed form this class writes (it may still need another key to open). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** The secret, encrypted and authenticated, as text fit for a VARCHAR column. */
    public String seal(String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce).put(sealed).array());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES/GCM is part of every JVM", ex);
        }
    }

    /**
     * The secret a {@link #seal} wrote.
     *
     * @throws SecretsUnavailableException when the value was sealed with another key or was altered
     * @throws IllegalArgumentException when the value is not a sealed value at all
     */
    public String open(String sealed) {
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("not a sealed value");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("a sealed value is not valid base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("a sealed value is truncated");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        }
        catch (AEADBadTagException ex) {
            throw SecretsUnavailableException.wrongKey(key().description());
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES/GCM is part of every JVM", ex);
        }
    }

    /**
     * A 256-bit key for another purpose, derived from this installation's key and a label (HMAC-SHA-256 of the
     * label): stable for one installation, different across installations and across labels, and it says nothing
     * about the key itself.
     */
    public byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key().bytes(), "HmacSHA256"));
            return mac.doFinal(("memdoctor/derive/" + label).getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JVM", ex);
        }
    }

    /** Loads the key now, so a missing or malformed one is reported at start rather than at first use. */
    public void check() {
        key();
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key().bytes(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(PREFIX.getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }

    private SecretKeys.Loaded key() {
        SecretKeys.Loaded key = loaded;
        if (key == null) {
            synchronized (this) {
                key = loaded;
                if (key == null) {
                    key = source.get();
                    loaded = key;
                }
            }
        }
        return key;
    }

    @Override
    public String toString() {
        return "SecretBox";
    }
}
