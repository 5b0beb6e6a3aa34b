package io.memdoctor.scans.engine;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PatternCollapserTests {

    private final PatternCollapser colon = new PatternCollapser(List.of(":"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "user:1001:feed | user:*:feed",
            "user:7:feed | user:*:feed",
            "session:3f2b8c1e-9d4a-4e2b-8f1a-0c9d8e7f6a5b | session:*",
            "session:{3f2b8c1e-9d4a-4e2b-8f1a-0c9d8e7f6a5b} | session:*",
            "cache:page:9f86d081884c7d65 | cache:page:*",
            "token:AbC9xYz0QwErTy12UiOp | token:*",
            "token:a1b2c3d4e5f6g7h8i9j0k | token:*",
            "events:2024-01-31 | events:*",
            "events:2024-01-31T10:15:00Z | events:*:*:*",
            "price:-12.5 | price:*",
            "shard12:queue | shard*:queue",
            "user_1001 | user_*",
            "config | config",
            "feature_flag_v2_enabled | feature_flag_v2_enabled",
            "deadbeef:notes | deadbeef:notes",
            "v2:api | v2:api",
            "a::b | a::b",
            ":leading:1 | :leading:*",
            "trailing:1: | trailing:*:",
            "bin\\xff\\x00key | *",
            "leaderboard:12:20240105 | leaderboard:*:*",
            "<img src=x onerror=alert(1)> | <img src=x onerror=alert(1)>",
    })
    void collapsesIdLikeSegments(String key, String pattern) {
        assertThat(colon.collapse(key)).isEqualTo(pattern);
    }

    @Test
    void everySegmentIsLookedAtNotOnlyTheFirst() {
        assertThat(colon.collapse("tenant:42:user:1001:orders:99812")).isEqualTo("tenant:*:user:*:orders:*");
    }

    @Test
    void severalDelimitersAtOnce() {
        PatternCollapser many = new PatternCollapser(List.of(":", "/", "."));
        assertThat(many.collapse("cache:/products/123.json")).isEqualTo("cache:/products/*.json");
        assertThat(many.collapse("img/2024/01/cat.png")).isEqualTo("img/*/*/cat.png");
    }

    @Test
    void multiCharacterDelimiters() {
        PatternCollapser arrow = new PatternCollapser(List.of("::", "->"));
        assertThat(arrow.collapse("app::user->1001")).isEqualTo("app::user->*");
        assertThat(arrow.collapse("a:b")).isEqualTo("a:b");
    }

    @Test
    void keysWithoutIdsStayTheSameObject() {
        String key = "plain:words:only";
        assertThat(colon.collapse(key)).isSameAs(key);
    }

    @Test
    void veryLongPatternsAreCut() {
        String pattern = colon.collapse("blob:" + "word-".repeat(100));
        assertThat(pattern).hasSize(200).endsWith("*");
    }
}
