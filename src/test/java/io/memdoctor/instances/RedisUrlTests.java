package io.memdoctor.instances;

import java.time.Duration;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisUrlTests {

    @Test
    void parsesTheFullForm() {
        RedisUrl url = RedisUrl.of("rediss://monitor:s3cr%40t@cache.internal:6380/2");
        assertThat(url.tls()).isTrue();
        assertThat(url.host()).isEqualTo("cache.internal");
        assertThat(url.port()).isEqualTo(6380);
        assertThat(url.database()).isEqualTo(2);
        assertThat(url.password()).isEqualTo("s3cr@t");
        RedisURI lettuce = url.toLettuceUri(Duration.ofSeconds(1));
        var credentials = lettuce.getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.getUsername()).isEqualTo("monitor");
        assertThat(new String(credentials.getPassword())).isEqualTo("s3cr@t");
        assertThat(lettuce.isSsl()).isTrue();
        assertThat(lettuce.getDatabase()).isEqualTo(2);
    }

    @Test
    void defaultsPortAndDatabase() {
        RedisUrl url = RedisUrl.of("redis://localhost");
        assertThat(url.port()).isEqualTo(6379);
        assertThat(url.database()).isZero();
        assertThat(url.redacted()).isEqualTo("redis://localhost:6379");
    }

    @Test
    void redactsThePasswordEverywhereItCouldBePrinted() {
        RedisUrl url = RedisUrl.of("redis://user:hunter2@host:6379");
        assertThat(url.redacted()).isEqualTo("redis://user:***@host:6379");
        assertThat(url.toString()).doesNotContain("hunter2");
        assertThat(RedisUrl.of("redis://:hunter2@host").redacted()).isEqualTo("redis://:***@host:6379");
        assertThat(RedisUrl.of("redis://hunter2@host").redacted()).isEqualTo("redis://:***@host:6379");
        assertThat(url.toLettuceUri(Duration.ofSeconds(1)).toString()).doesNotContain("hunter2");
    }

    @Test
    void storageFormRoundTrips() {
        RedisUrl url = RedisUrl.of("redis://us%3Aer:p%40ss%20word@[::1]:7000/3");
        RedisUrl again = RedisUrl.of(url.toStorageString());
        assertThat(again.password()).isEqualTo("p@ss word");
        assertThat(again.port()).isEqualTo(7000);
        assertThat(again.database()).isEqualTo(3);
        assertThat(again).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "localhost:6379", "http://host:6379", "redis://", "redis://host:99999",
            "redis://host:6379/abc", "redis://host:6379?x=1", "redis://ho st:6379", "redis://:pw@/0"})
    void rejectsWhatCannotBeUsed(String text) {
        assertThatThrownBy(() -> RedisUrl.of(text)).isInstanceOf(InvalidRedisUrlException.class)
                .hasMessageNotContaining("pw");
    }

    @Test
    void errorMessagesNeverQuoteTheUrl() {
        assertThatThrownBy(() -> RedisUrl.of("redis://user:topsecret@bad host:6379"))
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> RedisUrl.of("redis://user:topsecret@host:6379/x"))
                .hasMessageNotContaining("topsecret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://host:6379\r\nFLUSHALL", "redis://host:6379\n", "\tredis://host:6379",
        "redis://ho\u0000st:6379", "redis://host:6379/0\u007f", "redis://host\u0085:6379"})
    void refusesControlCharactersAnywhereEvenWhereStripWouldHideThem(String text) {
        assertThatThrownBy(() -> RedisUrl.of(text)).isInstanceOf(InvalidRedisUrlException.class)
                .hasMessageContaining("control characters");
    }

    @Test
    void namesThePartWithTheControlCharacterAndNeverQuotesIt() {
        assertThatThrownBy(() -> RedisUrl.of("redis://us\ner:topsecret@host:6379"))
                .hasMessageEndingWith("in the user name").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> RedisUrl.of("redis://user:top\r\nsecret@host:6379"))
                .hasMessageEndingWith("in the password").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisUrl.of("redis://top\u0000secret@host:6379"))
                .hasMessageEndingWith("in the password");
        assertThatThrownBy(() -> RedisUrl.of("redis://user:topsecret@ho\rst:6379"))
                .hasMessageEndingWith("in the host or port").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> RedisUrl.of("redis://host:6379/1\n")).hasMessageEndingWith("in the database");
        // percent-encoded, they decode to the same characters
        assertThatThrownBy(() -> RedisUrl.of("redis://user:top%0D%0Asecret@host:6379"))
                .hasMessageEndingWith("in the password").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisUrl.of("redis://us%00er:pw@host:6379")).hasMessageEndingWith("in the user name");
        assertThat(RedisUrl.of("redis://user:p%C3%A4ss%20w@host:6379").password()).isEqualTo("päss w");
    }
}
