package io.memdoctor.incidents.export;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRedactorTests {

    @Test
    void idLikeSegmentsBecomeStableHashesAndNamesStay() {
        String feed = KeyRedactor.key("user:1001:feed");
        assertThat(feed).matches("user:<h:[0-9a-f]{8}>:feed");
        assertThat(KeyRedactor.key("user:1001:feed")).isEqualTo(feed);
        assertThat(KeyRedactor.key("user:1001:profile")).startsWith(feed.substring(0, 15)).endsWith(":profile");
        assertThat(KeyRedactor.key("user:1002:feed")).isNotEqualTo(feed);
        assertThat(KeyRedactor.key("feature:dark_mode:enabled")).isEqualTo("feature:dark_mode:enabled");
    }

    @Test
    void emailsUuidsHexAndTokensAreHashed() {
        assertThat(KeyRedactor.key("user:bob@example.com:cart")).matches("user:<h:[0-9a-f]{8}>:cart");
        assertThat(KeyRedactor.key("session:3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"))
                .matches("session:<h:[0-9a-f]{8}>");
        assertThat(KeyRedactor.key("cache/0123abcdef4567890/page")).matches("cache/<h:[0-9a-f]{8}>/page");
        assertThat(KeyRedactor.key("tok:AbC9xYz0QwErTy12345")).matches("tok:<h:[0-9a-f]{8}>");
        // a word followed by a number keeps the word
        assertThat(KeyRedactor.key("shard12:queue")).matches("shard<h:[0-9a-f]{8}>:queue");
    }

    @Test
    void nothingOfTheIdSurvives() {
        assertThat(KeyRedactor.key("orders:2024-01-31:998877")).doesNotContain("998877").doesNotContain("2024")
                .startsWith("orders:");
        assertThat(KeyRedactor.key(null)).isNull();
        assertThat(KeyRedactor.key("")).isEmpty();
    }
}
