package io.memdoctor.alerts.channels;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import io.memdoctor.secrets.SecretBox;
import io.memdoctor.support.BothStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Channels added on the page, on H2 and PostgreSQL with the real migrations: the URL sealed (its token never in a
 * column), read back by a restarted dashboard, names unique, removed; those from properties stay.
 */
@BothStores
class ChannelStoreTests {

    private static final String TOKEN = "T0KEN-xoxb-4711";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00.000999Z");

    @Parameter
    BothStores.Store store;

    @BeforeEach
    void clear() {
        store.clear("alert_channel");
    }

    private ChannelStore channels(SecretBox box) {
        AlertsProperties properties = new AlertsProperties(
                List.of(new AlertsProperties.ChannelProperties("from-properties", "webhook", "https://hooks.test/p")),
                Duration.ofHours(4), URI.create("http://127.0.0.1:8080"), Duration.ofSeconds(5), 6);
        return new ChannelStore(properties, store.jdbc(), box, Clock.fixed(NOW, ZoneId.of("Asia/Kathmandu")));
    }

    private static SecretBox box(int seed) {
        byte[] key = new byte[32];
        key[0] = (byte) seed;
        return SecretBox.withKey(key);
    }

    @Test
    void anAddedChannelIsStoredSealedAndReadBackAfterARestart() {
        String url = "https://hooks.slack.test/services/" + TOKEN + "?q='quoted'&x=%E2%9C%93";
        channels(box(1)).add("  Équipe \"ops\" 'night' ✓  ", "slack", url);

        List<Channel> all = channels(box(1)).all();
        assertThat(all).extracting(Channel::name).containsExactly("from-properties", "Équipe \"ops\" 'night' ✓");
        Channel read = all.get(1);
        assertThat(read.url()).isEqualTo(URI.create(url));
        assertThat(read.type()).isEqualTo(ChannelType.SLACK);
        assertThat(read.source()).isEqualTo("page");
        assertThat(channels(box(1)).find("Équipe \"ops\" 'night' ✓")).contains(read);

        var row = store.jdbc().queryForMap("SELECT url_sealed, url_shown, created_at FROM alert_channel");
        assertThat(row.get("url_sealed").toString()).startsWith("v1:").doesNotContain(TOKEN).doesNotContain("slack");
        assertThat(row.get("url_shown")).isEqualTo("https://hooks.slack.test/…");
        assertThat(((Number) row.get("created_at")).longValue()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void pageChannelsComeAfterThePropertiesOnesByName() {
        ChannelStore store = channels(box(1));
        for (String name : List.of("delta", "alpha", "charlie", "bravo")) {
            store.add(name, "webhook", "https://hooks.test/" + name);
        }
        assertThat(channels(box(1)).all()).extracting(Channel::name)
                .containsExactly("from-properties", "alpha", "bravo", "charlie", "delta");
    }

    @Test
    void aNameIsTakenOnceWhetherOnThePageOrInProperties() {
        ChannelStore store = channels(box(1));
        store.add("ops", "webhook", "https://hooks.test/1");
        assertThatThrownBy(() -> store.add(" ops ", "slack", "https://hooks.test/2"))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        ex -> assertThat(ex.getStatusCode().value()).isEqualTo(409));
        assertThatThrownBy(() -> store.add("from-properties", "webhook", "https://hooks.test/3"))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        ex -> assertThat(ex.getStatusCode().value()).isEqualTo(409));
        assertThat(channels(box(1)).all()).hasSize(2);
        assertThat(channels(box(1)).find("ops").orElseThrow().url()).isEqualTo(URI.create("https://hooks.test/1"));
    }

    @Test
    void aRemovedChannelIsGoneAndOneFromPropertiesStays() {
        ChannelStore store = channels(box(1));
        store.add("a'; DELETE FROM alert_channel; --", "webhook", "https://hooks.test/a");
        store.add("b", "webhook", "https://hooks.test/b");
        store.remove("a'; DELETE FROM alert_channel; --");
        assertThat(channels(box(1)).all()).extracting(Channel::name).containsExactly("from-properties", "b");
        assertThatThrownBy(() -> store.remove("a'; DELETE FROM alert_channel; --"))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        ex -> assertThat(ex.getStatusCode().value()).isEqualTo(404));
        assertThatThrownBy(() -> store.remove("from-properties"))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        ex -> assertThat(ex.getStatusCode().value()).isEqualTo(409));
        assertThat(channels(box(1)).all()).extracting(Channel::name).containsExactly("from-properties", "b");
    }

    @Test
    void theLongestNameAndUrlFitTheirColumns() {
        String name = "ñ".repeat(99) + "✓";
        String tail = "?token=" + TOKEN;
        String url = "https://hooks.test/" + "x".repeat(ChannelStore.MAX_URL_BYTES - 19 - tail.length()) + tail;
        assertThat(url).hasSize(ChannelStore.MAX_URL_BYTES);
        channels(box(1)).add(name, "alertmanager", url);
        Channel read = channels(box(1)).find(name).orElseThrow();
        assertThat(read.url().toString()).isEqualTo(url);
        assertThat(read.type()).isEqualTo(ChannelType.ALERTMANAGER);
    }

    /**
     * {@code url_sealed} is VARCHAR(3000) and sealing grows a URL by a third: a URL of 2,500 characters failed the
     * INSERT on both stores (a 500 on the API). It is refused as bad input now, without repeating it.
     */
    @Test
    void aUrlLongerThanTheStoreHoldsIsRefusedWithoutRepeatingIt() {
        String url = "https://hooks.test/" + "y".repeat(2500) + "?token=" + TOKEN;
        assertThatThrownBy(() -> channels(box(1)).add("long", "webhook", url))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'url'")
                .hasMessageNotContaining(TOKEN).hasMessageNotContaining("yyyy");
        assertThat(channels(box(1)).find("long")).isEmpty();
    }

    /**
     * A NUL character is text Java and H2 keep but PostgreSQL refuses: the same name was stored on H2 and a 500 on
     * PostgreSQL. Both refuse it as bad input now, before anything is written.
     */
    @Test
    void aNameWithAControlCharacterIsRefusedOnBothStores() {
        assertThatThrownBy(() -> channels(box(1)).add("ops\u0000night", "webhook", "https://hooks.test/a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name'");
        assertThatThrownBy(() -> channels(box(1)).add("ops\nnight", "webhook", "https://hooks.test/a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name'");
        assertThat(channels(box(1)).all()).extracting(Channel::name).containsExactly("from-properties");
    }
}
