package io.memdoctor.instances;

import java.util.Random;

import io.memdoctor.scans.engine.KeyNames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisCliCommandTests {

    @Test
    void theShownFormOfAnyKeyGivesBackItsBytes() {
        for (int b = 0; b < 256; b++) {
            byte[] key = {'k', (byte) b, 'k'};
            assertThat(RedisCliCommand.keyBytes(KeyNames.escape(key))).as("byte %d", b).isEqualTo(key);
        }
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            byte[] key = new byte[random.nextInt(40)];
            random.nextBytes(key);
            assertThat(RedisCliCommand.keyBytes(KeyNames.escape(key))).isEqualTo(key);
        }
    }

    @Test
    void theConnectionNamesHostPortDatabaseTlsAndUserButNeverThePassword() {
        assertThat(RedisCliCommand.to(RedisUrl.of("rediss://ops:s3cret@cache.internal:6380/2")).connection())
                .isEqualTo("redis-cli -h cache.internal -p 6380 -n 2 --tls --user ops --askpass");
        assertThat(RedisCliCommand.to("redis://:***@10.0.0.5:6379").connection())
                .isEqualTo("redis-cli -h 10.0.0.5 -p 6379 --askpass");
        assertThat(RedisCliCommand.to("not a url").connection()).isEqualTo("redis-cli");
    }

    @Test
    void aKeysDatabaseReplacesTheUrlsOwn() {
        RedisCliCommand url = RedisCliCommand.to(RedisUrl.of("rediss://ops:s3cret@cache.internal:6380/2"));
        assertThat(url.inDatabase(5).connection())
                .isEqualTo("redis-cli -h cache.internal -p 6380 -n 5 --tls --user ops --askpass");
        assertThat(url.inDatabase(0).connection())
                .isEqualTo("redis-cli -h cache.internal -p 6380 --tls --user ops --askpass");
        assertThat(RedisCliCommand.local().inDatabase(3).forKey("EXPIRE", "k", "86400"))
                .isEqualTo("redis-cli -n 3 EXPIRE 'k' 86400");
        assertThat(RedisCliCommand.local().inDatabase(3).clusterMode().connection()).isEqualTo("redis-cli -n 3 -c");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> RedisCliCommand.local().inDatabase(-1));
    }

    @Test
    void wordsAreQuotedOnlyWhenAShellWouldTouchThem() {
        assertThat(RedisCliCommand.word("MAXLEN")).isEqualTo("MAXLEN");
        assertThat(RedisCliCommand.word("-10001")).isEqualTo("-10001");
        assertThat(RedisCliCommand.word("~")).isEqualTo("'~'");
        assertThat(RedisCliCommand.word("a b")).isEqualTo("'a b'");
        assertThat(RedisCliCommand.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(RedisCliCommand.local().forKey("MEMORY USAGE", "x")).isEqualTo("redis-cli MEMORY USAGE 'x'");
    }
}
