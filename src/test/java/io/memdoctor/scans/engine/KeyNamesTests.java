package io.memdoctor.scans.engine;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Names are escaped exactly as redis-cli's sdscatrepr does, minus the surrounding quotes. */
class KeyNamesTests {

    @Test
    void printableAsciiStaysAsItIs() {
        assertThat(KeyNames.escape(bytes("user:1001:feed"))).isEqualTo("user:1001:feed");
        assertThat(KeyNames.escape(bytes("<img src=x onerror=alert(1)>"))).isEqualTo("<img src=x onerror=alert(1)>");
    }

    @Test
    void controlAndNonAsciiBytesAreHexEscaped() {
        assertThat(KeyNames.escape(new byte[] {'b', (byte) 0xff, 0, 0x7f, 'k'})).isEqualTo("b\\xff\\x00\\x7fk");
        assertThat(KeyNames.escape("café".getBytes(StandardCharsets.UTF_8))).isEqualTo("caf\\xc3\\xa9");
    }

    @Test
    void quotesBackslashesAndCommonControlsUseShortEscapes() {
        assertThat(KeyNames.escape(bytes("a\"b\\c\nd\re\tf"))).isEqualTo("a\\\"b\\\\c\\nd\\re\\tf");
        assertThat(KeyNames.escape(new byte[] {7, 8})).isEqualTo("\\a\\b");
    }

    @Test
    void keysOverOneKibibyteAreKeptAsAPrefixWithTheirLengthAndHash() {
        byte[] exactly = "k".repeat(KeyNames.MAX_SHOWN_BYTES).getBytes(StandardCharsets.US_ASCII);
        assertThat(KeyNames.shown(exactly)).isEqualTo(KeyNames.escape(exactly));
        assertThat(KeyNames.isShortened(KeyNames.shown(exactly))).isFalse();

        byte[] longer = ("\n" + "k".repeat(1499)).getBytes(StandardCharsets.US_ASCII);
        String shown = KeyNames.shown(longer);

        assertThat(shown).startsWith("\\n" + "k".repeat(255) + "…[1500 bytes, sha256 ").matches(".*[0-9a-f]{16}]");
        assertThat(KeyNames.isShortened(shown)).isTrue();
        byte[] other = longer.clone();
        other[1499] = 'j';
        assertThat(KeyNames.shown(other)).isNotEqualTo(shown).startsWith(shown.substring(0, 270));
        // an escaped name never holds the ellipsis itself
        assertThat(KeyNames.isShortened(KeyNames.escape("a…[1500 bytes, sha256 0123456789abcdef]"
                .getBytes(StandardCharsets.UTF_8)))).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
