package io.memdoctor.scans.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.regex.Pattern;

import io.memdoctor.instances.RedisCliCommand;

/**
 * Key names as text. Redis keys are bytes, often not UTF-8; they are shown the way {@code redis-cli} shows them
 * ({@link RedisCliCommand#repr}: {@code sdscatrepr} without the surrounding quotes). The escaping is reversible, so
 * a shown name still identifies the exact key.
 */
public final class KeyNames {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private KeyNames() {
    }

    /** Longest key, in bytes, kept whole in scan results. */
    public static final int MAX_SHOWN_BYTES = 1024;
    /** Bytes of a longer key kept before its length and hash. */
    static final int SHORTENED_PREFIX_BYTES = 256;
    private static final Pattern SHORTENED = Pattern.compile("…\\[\\d+ bytes, sha256 [0-9a-f]{16}]$");
    /** Hex digits of a redaction token: 64 bits of the HMAC. */
    public static final int REDACTED_HEX = 16;
    /** What an export with {@code redactKeys=true} puts in place of an id-like part of a name. */
    private static final Pattern REDACTED = Pattern.compile("<h:[0-9a-f]{" + REDACTED_HEX + "}>");

    /**
     * The key as scan results keep it: {@link #escape escaped}, and when longer than {@link #MAX_SHOWN_BYTES}, its
     * first {@link #SHORTENED_PREFIX_BYTES} bytes followed by {@code …[<length> bytes, sha256 <16 hex digits>]}: a
     * hostile keyspace of megabyte names cannot fill the results, and the hash still tells long keys apart.
     */
    public static String shown(byte[] key) {
        if (key.length <= MAX_SHOWN_BYTES) {
            return escape(key);
        }
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
        StringBuilder out = new StringBuilder(escape(Arrays.copyOf(key, SHORTENED_PREFIX_BYTES)))
                .append("…[").append(key.length).append(" bytes, sha256 ");
        for (int i = 0; i < 8; i++) {
            out.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
        }
        return out.append(']').toString();
    }

    /**
     * True for a name {@link #shown} shortened: it is not the key's name, and no command can be made with it. An
     * escaped name never holds the ellipsis (a byte above 0x7e is shown as {@code \\xHH}), so none is mistaken.
     */
    public static boolean isShortened(String shown) {
        return SHORTENED.matcher(shown).find();
    }

    /**
     * True for a name an export redacted ({@code user:<h:1a2b3c4d5e6f7081>:feed}), as an imported incident holds
     * it: it names no key, and no command can be made with it.
     */
    public static boolean isRedacted(String shown) {
        return REDACTED.matcher(shown).find();
    }

    /**
     * The token that stands for a redacted part, {@code <h:1a2b3c4d5e6f7081>}, from its {@link #REDACTED_HEX} hex
     * digits: {@link #isRedacted} knows it by this shape.
     */
    public static String redacted(String hex) {
        if (hex.length() != REDACTED_HEX) {
            throw new IllegalArgumentException("a redaction token has " + REDACTED_HEX + " hex digits");
        }
        return "<h:" + hex + ">";
    }

    /** The escaped form of a key. */
    public static String escape(byte[] key) {
        if (isPlain(key)) {
            // the common case: no copy through a StringBuilder
            return new String(key, StandardCharsets.ISO_8859_1);
        }
        return RedisCliCommand.repr(key);
    }

    /**
     * A shown key name as one redis-cli argument: as it is when it holds no space, quote or escape, else in double
     * quotes, where redis-cli (typed at its prompt, or fed on standard input) reads the escapes back into the key's
     * bytes. So a fix such as {@code EXPIRE <key> 86400} can be pasted as it is.
     */
    public static String cliArgument(String shownKey) {
        boolean plain = !shownKey.isEmpty() && shownKey.chars().allMatch(c -> c > ' ' && c < 127 && c != '"'
                && c != '\'' && c != '\\');
        return plain ? shownKey : "\"" + shownKey + "\"";
    }

    private static boolean isPlain(byte[] key) {
        for (byte b : key) {
            if (b < 0x20 || b > 0x7e || b == '\\' || b == '"') {
                return false;
            }
        }
        return true;
    }
}
