package io.memdoctor.instances;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a declared memory limit may be, as bytes (the API) and as text (the forms). */
class MemoryLimitTests {

    static final long MB = 1024L * 1024;
    static final long GB = 1024 * MB;

    @Test
    void bytesBetweenAMegabyteAndAPetabyte() {
        assertThat(MemoryLimit.valid(null)).isNull();
        assertThat(MemoryLimit.valid(GB)).isEqualTo(GB);
        assertThatThrownBy(() -> MemoryLimit.valid(0L)).hasMessageContaining("positive");
        assertThatThrownBy(() -> MemoryLimit.valid(-GB)).hasMessageContaining("positive");
        assertThatThrownBy(() -> MemoryLimit.valid(1000L)).hasMessageContaining("at least 1.0 MB");
        assertThatThrownBy(() -> MemoryLimit.valid(Long.MAX_VALUE)).hasMessageContaining("at most 1.0 PB");
    }

    @Test
    void textAsKubernetesRedisAndSpringWriteIt() {
        assertThat(MemoryLimit.parse("  ")).isNull();
        assertThat(MemoryLimit.parse("1GB")).isEqualTo(GB);
        assertThat(MemoryLimit.parse("1gb")).isEqualTo(GB);
        assertThat(MemoryLimit.parse("1 GiB")).isEqualTo(GB);
        assertThat(MemoryLimit.parse("1Gi")).isEqualTo(GB);
        assertThat(MemoryLimit.parse("512Mi")).isEqualTo(512 * MB);
        assertThat(MemoryLimit.parse("512mb")).isEqualTo(512 * MB);
        // a single letter is decimal, as Kubernetes (1G) and redis.conf (1g) mean it: never more than was meant
        assertThat(MemoryLimit.parse("1G")).isEqualTo(1_000_000_000L);
        assertThat(MemoryLimit.parse("512m")).isEqualTo(512_000_000L);
        assertThat(MemoryLimit.parse("2T")).isEqualTo(2_000_000_000_000L);
        assertThat(MemoryLimit.text(1_000_000_000L)).isEqualTo("1G");
        assertThat(MemoryLimit.parse("1073741824")).isEqualTo(GB);
        for (String bad : new String[] {"lots", "1.5GB", "-1GB", "1 XB", "0", "0GB", "2048PB", "99999999999999999999"}) {
            assertThatThrownBy(() -> MemoryLimit.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (long bytes : new long[] {GB, 1536 * MB, 3 * GB + 1, 4L * 1024 * GB, 1_000_000_000L, 1_500_000_000L,
                2 * MB}) {
            assertThat(MemoryLimit.parse(MemoryLimit.text(bytes))).isEqualTo(bytes);
        }
        assertThat(MemoryLimit.text(1536 * MB)).isEqualTo("1536MB");
        assertThat(MemoryLimit.text(null)).isEmpty();
    }
}
