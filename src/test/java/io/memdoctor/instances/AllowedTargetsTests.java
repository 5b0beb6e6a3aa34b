package io.memdoctor.instances;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The allow-list of targets: addresses and blocks by address, listed names by name, other names by their DNS answer. */
class AllowedTargetsTests {

    @Test
    void withoutAListEverythingIsAllowed() {
        AllowedTargets open = targets();
        assertThat(open.restricted()).isFalse();
        assertThatCode(() -> open.check(RedisUrl.of("redis://169.254.169.254:80"))).doesNotThrowAnyException();
    }

    @Test
    void addressesAndBlocksOfBothFamilies() {
        AllowedTargets targets = targets("10.0.0.0/8", "192.168.1.7", "fd00::/8", "[::1]");
        allowed(targets, "redis://10.20.30.40:6379", "redis://192.168.1.7", "redis://[fd12:3456::1]:6379",
                "redis://[::1]:6379", "redis://[::ffff:10.1.1.1]:6379");
        refused(targets, "redis://11.0.0.1", "redis://192.168.1.8", "redis://[fe80::1]", "redis://169.254.169.254",
                "redis://127.0.0.1");
    }

    @Test
    void aNameIsCheckedByWhatItResolvesToUnlessListedByName() {
        AllowedTargets loopback = targets("127.0.0.0/8", "::1");
        // localhost resolves to loopback only: allowed by its addresses
        allowed(loopback, "redis://localhost:6379");
        AllowedTargets lan = targets("10.0.0.0/8");
        assertThatThrownBy(() -> lan.check(RedisUrl.of("redis://localhost:6379")))
                .isInstanceOf(InvalidRedisUrlException.class).hasMessageContaining("host 'localhost'")
                .hasMessageContaining("resolves to 127.0.0.1").hasMessageContaining("allowed-targets");
        // a legacy spelling of an address is judged by the address it means, not by its text
        refused(lan, "redis://2130706433:6379");
        AllowedTargets named = targets("cache.internal", "*.redis.internal");
        allowed(named, "redis://cache.internal:6379", "redis://CACHE.internal.:6379", "redis://a.b.redis.internal");
        refused(named, "redis://redis.internal", "redis://cache.internal.evil.test", "redis://10.0.0.1");
        assertThatThrownBy(() -> named.check(RedisUrl.of("redis://no-such-host.invalid:6379")))
                .hasMessageContaining("does not resolve");
    }

    @Test
    void aBadEntryStopsTheStartWithItsName() {
        for (String bad : List.of("10.0.0.0/33", "::1/129", "10.0.0.0/x", "http://x", "a b", "10.0.0.0/8/8")) {
            assertThatThrownBy(() -> targets(bad)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("memdoctor.instances.allowed-targets entry '");
        }
    }

    private static AllowedTargets targets(String... entries) {
        return new AllowedTargets(new TargetProperties(List.of(entries)));
    }

    private static void allowed(AllowedTargets targets, String... urls) {
        for (String url : urls) {
            assertThatCode(() -> targets.check(RedisUrl.of(url))).as(url).doesNotThrowAnyException();
        }
    }

    private static void refused(AllowedTargets targets, String... urls) {
        for (String url : urls) {
            assertThatThrownBy(() -> targets.check(RedisUrl.of(url))).as(url)
                    .isInstanceOf(InvalidRedisUrlException.class).hasMessageContaining("allowed-targets");
        }
    }
}
