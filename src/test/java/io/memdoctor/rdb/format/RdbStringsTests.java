package io.memdoctor.rdb.format;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LZF strings: decoded as far as bytes are wanted, only counted past that, and checked the same either way. */
class RdbStringsTests {

    /** "abcabcabcabc": a literal run of 3, then a back-reference of 9 bytes at distance 3. */
    private static final int[] ABC = {0xc3, 7, 12, 0x02, 'a', 'b', 'c', 0xe0, 0x00, 0x02};

    private static RdbStrings strings(int... bytes) {
        byte[] file = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            file[i] = (byte) bytes[i];
            file[bytes.length + i] = (byte) bytes[i];
        }
        return new RdbStrings(new RdbInput(new ByteArrayInputStream(file), 64, () -> false));
    }

    @Test
    void aCompressedStringIsDecodedAsFarAsWantedAndCountedToItsEnd() {
        RdbStrings twice = strings(ABC);
        assertThat(new String(twice.read(100), StandardCharsets.US_ASCII)).isEqualTo("abcabcabcabc");
        assertThat(twice.lastLength()).isEqualTo(12);
        assertThat(twice.lastStoredLength()).isEqualTo(ABC.length);
        // the second copy: the first 5 bytes, the rest counted, and the stream is left at the same place
        assertThat(new String(twice.read(5), StandardCharsets.US_ASCII)).isEqualTo("abcab");
        assertThat(twice.lastLength()).isEqualTo(12);
        assertThat(twice.lastStoredLength()).isEqualTo(ABC.length);

        RdbStrings skipped = strings(ABC);
        assertThat(skipped.skip()).isEqualTo(12);
        assertThat(skipped.lastStoredLength()).isEqualTo(ABC.length);
        assertThat(new String(skipped.read(2), StandardCharsets.US_ASCII)).isEqualTo("ab");
    }

    @Test
    void aBrokenCompressedStringFailsWhetherDecodedOrCounted() {
        int[] tooFarBack = ABC.clone();
        tooFarBack[9] = 0x05; // distance 6 with 3 bytes produced
        int[] tooLong = ABC.clone();
        tooLong[2] = 11; // says 11 bytes, holds 12
        int[] tooShort = ABC.clone();
        tooShort[2] = 13;
        for (int[] broken : new int[][] {tooFarBack, tooLong, tooShort}) {
            assertThatThrownBy(() -> strings(broken).skip()).isInstanceOf(RdbFormatException.class)
                    .hasMessageContaining("LZF");
            assertThatThrownBy(() -> strings(broken).read(2)).isInstanceOf(RdbFormatException.class)
                    .hasMessageContaining("LZF");
            assertThatThrownBy(() -> strings(broken).read(100)).isInstanceOf(RdbFormatException.class)
                    .hasMessageContaining("LZF");
        }
    }
}
