package io.memdoctor.scans.engine;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScanParametersTests {

    @Test
    void defaultsAreThoseOfTheIssue() {
        ScanParameters defaults = ScanParameters.defaults();
        assertThat(defaults).isEqualTo(new ScanParameters("*", null, 1000, 5, 100, null, List.of(":")));
        assertThat(defaults.filtered()).isFalse();
    }

    @Test
    void typeIsNormalisedAndBlankMeansAny() {
        assertThat(ScanParameters.of(null, " HASH ", null, null, null, null, null).type()).isEqualTo("hash");
        assertThat(ScanParameters.of(null, "", null, null, null, null, null).type()).isNull();
        assertThat(ScanParameters.of("user:*", null, null, null, null, null, null).filtered()).isTrue();
    }

    @Test
    void badValuesAreRefusedWithAClearMessage() {
        assertThatIllegalArgumentException().isThrownBy(() -> of("", null, null, null, null, null, null))
                .withMessageContaining("match");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, "blob", null, null, null, null, null))
                .withMessage("type must be one of string, list, set, zset, hash, stream (or left out for every type)");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, null, 0, null, null, null, null))
                .withMessage("count must be between 1 and 10000");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, null, null, -1, null, null, null))
                .withMessageStartingWith("samples must be between 0");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, null, null, null, 0, null, null))
                .withMessage("topN must be between 1 and 10000");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, null, null, null, null, 0, null))
                .withMessageStartingWith("maxKeysPerSecond must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, null, null, null, null, null, List.of()))
                .withMessageStartingWith("delimiters must list at least one");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, null, null, null, null, null, List.of("*")))
                .withMessageContaining("other than * and \\");
        assertThatIllegalArgumentException().isThrownBy(() -> of(null, null, null, null, null, null,
                List.of("toolong"))).withMessageContaining("1 to 4 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> of("a\nb", null, null, null, null, null, null))
                .withMessageContaining("control characters");
    }

    private static ScanParameters of(String match, String type, Integer count, Integer samples, Integer topN,
            Integer rate, List<String> delimiters) {
        return ScanParameters.of(match, type, count, samples, topN, rate, delimiters);
    }
}
