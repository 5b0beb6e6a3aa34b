package io.memdoctor.redis;

import io.memdoctor.instances.RedisUrl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisTextTests {

    @Test
    void thePasswordIsHiddenAsTypedAndAsUrlEncoded() {
        RedisUrl url = RedisUrl.of("redis://app:p%40ss%20w@cache:6379");
        assertThat(url.password()).isEqualTo("p@ss w");
        assertThat(RedisText.scrub("AUTH p@ss w failed for redis://app:p%40ss+w@cache", url))
                .isEqualTo("AUTH *** failed for redis://app:***@cache");
        assertThat(RedisText.scrub(null, url)).isNull();
        assertThat(RedisText.scrub("Connection refused", RedisUrl.of("redis://cache:6379")))
                .isEqualTo("Connection refused");
    }

    @Test
    void controlCharactersAreEscapedSoNoTextForgesALogLine() {
        RedisUrl url = RedisUrl.of("redis://cache:6379");
        assertThat(RedisText.scrub("ERR a\r\n2026-11-29 INFO forged\tline\u0000\u001b[31m", url))
                .isEqualTo("ERR a\\r\\n2026-11-29 INFO forged\\tline\\x00\\x1b[31m");
        assertThat(RedisText.scrub("a\u2028b", url)).isEqualTo("a\\u2028b");
    }

    @Test
    void longTextsAreCut() {
        String scrubbed = RedisText.scrub("x".repeat(5000), RedisUrl.of("redis://cache:6379"));
        assertThat(scrubbed).hasSize(RedisText.MAX_LENGTH + 1).endsWith("…");
    }
}
