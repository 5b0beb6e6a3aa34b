package io.memdoctor.incidents.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.memdoctor.secrets.SecretBox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRedactorTests {

    static final SecretBox INSTALLATION = SecretBox.withKey(HexFormat.of().parseHex(
            "8d1f0c2a4b6e79305c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516273"));
    static final SecretBox OTHER_INSTALLATION = SecretBox.withKey(HexFormat.of().parseHex(
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    static final Pattern TOKEN = Pattern.compile("<h:([0-9a-f]{16})>");

    final KeyRedactor redactor = redactor(INSTALLATION);

    static KeyRedactor redactor(SecretBox installation) {
        return new KeyRedactor(installation.derive(KeyRedactor.KEY_LABEL));
    }

    @Test
    void idLikeSegmentsBecomeStableHashesAndNamesStay() {
        String feed = redactor.key("user:1001:feed");
        assertThat(feed).matches("user:<h:[0-9a-f]{16}>:feed");
        assertThat(redactor.key("user:1001:feed")).isEqualTo(feed);
        assertThat(redactor(INSTALLATION).key("user:1001:feed")).as("same installation, new export").isEqualTo(feed);
        assertThat(redactor.key("user:1001:profile")).startsWith(feed.substring(0, 25)).endsWith(":profile");
        assertThat(redactor.key("user:1002:feed")).isNotEqualTo(feed);
        assertThat(redactor.key("feature:dark_mode:enabled")).isEqualTo("feature:dark_mode:enabled");
    }

    @Test
    void anotherInstallationGivesOtherTokens() {
        assertThat(redactor(OTHER_INSTALLATION).key("user:1001:feed")).matches("user:<h:[0-9a-f]{16}>:feed")
                .isNotEqualTo(redactor.key("user:1001:feed"));
    }

    @Test
    void emailsUuidsHexAndTokensAreHashed() {
        assertThat(redactor.key("user:bob@example.com:cart")).matches("user:<h:[0-9a-f]{16}>:cart");
        assertThat(redactor.key("session:3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"))
                .matches("session:<h:[0-9a-f]{16}>");
        assertThat(redactor.key("cache/0123abcdef4567890/page")).matches("cache/<h:[0-9a-f]{16}>/page");
        assertThat(redactor.key("tok:AbC9xYz0QwErTy12345")).matches("tok:<h:[0-9a-f]{16}>");
        // a word followed by a number keeps the word
        assertThat(redactor.key("shard12:queue")).matches("shard<h:[0-9a-f]{16}>:queue");
    }

    @Test
    void nothingOfTheIdSurvives() {
        assertThat(redactor.key("orders:2024-01-31:998877")).doesNotContain("998877").doesNotContain("2024")
                .startsWith("orders:");
        assertThat(redactor.key(null)).isNull();
        assertThat(redactor.key("")).isEmpty();
    }

    /**
     * The attack a public salt allows: hash every 7-digit id and look the token up. It works on the previous
     * algorithm (SHA-256 with the salt in the source); on the HMAC token, every id run through the public code with
     * any key but this installation's secret finds nothing.
     */
    @Test
    void aSevenDigitIdCannotBeRecoveredByEnumeratingWithThePublicCode() throws Exception {
        int id = 2_821_337;
        String token = token(redactor.key("user:" + id + ":feed"));
        assertThat(token).hasSize(16);

        String previous = "redis-memory-doctor/redact-keys/v1:";
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String previousToken = HexFormat.of().formatHex(sha.digest((previous + id).getBytes(StandardCharsets.UTF_8)),
                0, 4);
        assertThat(enumerateSha(sha, previous, previousToken)).as("the old public-salt hash falls to enumeration")
                .isEqualTo(id);

        // what an attacker can run: this code with a key they can know (here: all zeros) over all 10^7 ids
        byte[] tokenBytes = HexFormat.of().parseHex(token);
        Mac guess = Mac.getInstance("HmacSHA256");
        guess.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        assertThat(enumerateHmac(guess, tokenBytes)).as("ids matching without the secret").isEqualTo(-1);
        // and the enumeration itself is sound: with the secret it finds the id
        Mac withSecret = Mac.getInstance("HmacSHA256");
        withSecret.init(new SecretKeySpec(INSTALLATION.derive(KeyRedactor.KEY_LABEL), "HmacSHA256"));
        assertThat(enumerateHmac(withSecret, tokenBytes, id - 1000, id + 1000)).isEqualTo(id);
    }

    private static int enumerateSha(MessageDigest sha, String salt, String token) {
        for (int candidate = 0; candidate <= 9_999_999; candidate++) {
            byte[] digest = sha.digest((salt + candidate).getBytes(StandardCharsets.UTF_8));
            if (HexFormat.of().formatHex(digest, 0, 4).equals(token)) {
                return candidate;
            }
        }
        return -1;
    }

    private static int enumerateHmac(Mac mac, byte[] token) {
        return enumerateHmac(mac, token, 0, 9_999_999);
    }

    /** Every id from {@code from} to {@code to} (all 10^7 seven-digit ids, leading zeros as numbers have none). */
    private static int enumerateHmac(Mac mac, byte[] token, int from, int to) {
        byte[] digits = new byte[7];
        for (int candidate = from; candidate <= to; candidate++) {
            int length = ascii(candidate, digits);
            mac.update(digits, digits.length - length, length);
            byte[] digest = mac.doFinal();
            if (java.util.Arrays.equals(digest, 0, token.length, token, 0, token.length)) {
                return candidate;
            }
        }
        return -1;
    }

    private static int ascii(int value, byte[] out) {
        int i = out.length;
        do {
            out[--i] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        return out.length - i;
    }

    private static String token(String redacted) {
        Matcher matcher = TOKEN.matcher(redacted);
        assertThat(matcher.find()).as(redacted).isTrue();
        return matcher.group(1);
    }
}
