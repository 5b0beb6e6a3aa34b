package io.memdoctor.overview;

import java.time.Instant;
import java.util.List;

import io.memdoctor.instances.DuplicateInstanceException;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.InvalidRedisUrlException;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.support.WebSlice;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The overview's controllers alone ({@code @WebMvcTest}): the page without {@code HX-Request}, the cards with it,
 * the add form's refusals, the JSON API's problem details, and who may post. The service behind them is mocked.
 */
@WebSlice({OverviewController.class, OverviewApiController.class})
class OverviewWebTests {

    static final Instant SAMPLED = Instant.parse("2026-11-30T02:59:30Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    OverviewService overview;

    @MockitoBean
    InstanceService instances;

    /** One healthy card and one down, as the service would group them. */
    static Overview twoCards() {
        InstanceCard cache = new InstanceCard("cache-eu-1", "cache-eu-1", "redis://:***@10.0.0.5:6379", "OK", null,
                null, SAMPLED, SAMPLED, 3L * 1024 * 1024 * 1024, 4L * 1024 * 1024 * 1024, null, null, 3_500_000_000L, 1.08,
                null, 1_234_567L, 1_000L, "allkeys-lru", false, "Redis 7.4.1", List.of("env:prod"), Attention.NONE,
                null, List.of(), null);
        InstanceCard down = new InstanceCard("queue-1", "queue-1", "redis://10.0.0.9:6379", "UNREACHABLE",
                SAMPLED.minusSeconds(600), "Connection refused", SAMPLED, null, null, null, null, null, null, null, null,
                null, null, null, false, null, List.of(), Attention.DOWN, null, List.of(), null);
        Overview.Summary summary = new Overview.Summary(2, 1, 0, 0);
        return new Overview(OverviewQuery.all(), summary, 2, 1, 1,
                List.of(new Overview.CardGroup("", 2, summary, List.of(down, cache))), List.of("env"));
    }

    @Test
    void aPlainGetIsTheWholePageWithItsCardsAndTheAddForm() throws Exception {
        given(overview.overview(any())).willReturn(twoCards());

        mvc.perform(get("/"))
                .andExpect(status().isOk())
                .andExpect(header().string("Vary", containsString("HX-Request")))
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
                .andExpect(content().string(allOf(startsWith("<!DOCTYPE html>"), containsString("<title"),
                        containsString("id=\"overview-filters\""), containsString("id=\"cards\""),
                        containsString("<strong>2</strong> instances"), containsString("<strong>1</strong> down"),
                        containsString("data-instance=\"cache-eu-1\""), containsString("redis://:***@10.0.0.5:6379"),
                        containsString("3 GB"), containsString("allkeys-lru"), containsString("Redis 7.4.1"),
                        containsString("Connection refused"), containsString("id=\"add-form\""),
                        containsString("name=\"_csrf\""))));
    }

    /** Each point in time once: "sampled 02:59:30" and "Down since 02:49:30", no "ago" of the rows beside them. */
    @Test
    void aCardShowsEachPointInTimeOnce() throws Exception {
        given(overview.overview(any())).willReturn(twoCards());

        String cards = mvc.perform(get("/").header("HX-Request", "true")).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(cards.split("<time ", -1)).hasSize(3);
        assertThat(cards).doesNotContain("data-ago").contains("datetime=\"2026-11-30T02:59:30Z\"")
                .contains("datetime=\"2026-11-30T02:49:30Z\"");
    }

    @Test
    void anHtmxGetIsTheCardsAloneForTheSameQuery() throws Exception {
        given(overview.overview(any())).willReturn(twoCards());

        mvc.perform(get("/").param("q", "cache").param("tag", "env:prod").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(startsWith("<section id=\"cards\""), not(containsString("<html")),
                        not(containsString("id=\"add-form\"")), containsString("hx-trigger=\"every 5s"),
                        containsString("data-instance=\"queue-1\""), containsString("data-attention=\"DOWN\""))));
        verify(overview).overview(argThat(q -> q.q().equals("cache") && q.tag().equals(List.of("env:prod"))));
    }

    @Test
    void theCardsOfTheDownInstanceComeFirst() throws Exception {
        given(overview.overview(any())).willReturn(twoCards());

        String cards = mvc.perform(get("/").header("HX-Request", "true")).andReturn().getResponse()
                .getContentAsString();
        org.assertj.core.api.Assertions.assertThat(cards.indexOf("data-instance=\"queue-1\""))
                .isLessThan(cards.indexOf("data-instance=\"cache-eu-1\""));
    }

    @Test
    void aBadFilterIsA400PageAndNeverReachesTheService() throws Exception {
        mvc.perform(get("/").param("show", "everything"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("show must be one of all, attention, down, full, alert")));
        mvc.perform(get("/").param("page", "two"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("The value of &#39;page&#39; is not valid.")));
        verifyNoInteractions(overview);
    }

    @Test
    void theApiAnswersBadFiltersWithProblemDetails() throws Exception {
        mvc.perform(get("/api/overview").param("size", "0"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.detail").value("size must be between 1 and 500"));
        mvc.perform(get("/api/overview").param("page", "x"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(overview);
    }

    @Test
    void theApiIsTheSameOverviewAsJson() throws Exception {
        given(overview.overview(any())).willReturn(twoCards());

        mvc.perform(get("/api/overview"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.summary.instances").value(2))
                .andExpect(jsonPath("$.summary.down").value(1))
                .andExpect(jsonPath("$.groups[0].cards[0].id").value("queue-1"))
                .andExpect(jsonPath("$.groups[0].cards[0].attention").value("DOWN"))
                .andExpect(jsonPath("$.groups[0].cards[1].maxmemoryPolicy").value("allkeys-lru"));
    }

    @Test
    void theFormWithoutHtmxComesBackAs400WithTheMessageAndWithoutTheUrl() throws Exception {
        given(instances.add(eq("cache"), any(), anyList(), any()))
                .willThrow(new InvalidRedisUrlException("URL must start with redis:// or rediss://"));
        given(overview.overview(any())).willReturn(twoCards());

        mvc.perform(post("/instances").with(csrf()).param("name", "cache").param("url", "http://:pw-1@host"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(allOf(containsString("<html"),
                        containsString("URL must start with redis:// or rediss://"),
                        containsString("value=\"cache\""), containsString("aria-invalid=\"true\""),
                        not(containsString("pw-1")))));
    }

    @Test
    void theHtmxFormAnswersATakenNameWithTheFormAndTheMessage() throws Exception {
        given(instances.add(eq("cache"), any(), anyList(), any()))
                .willThrow(new DuplicateInstanceException("An instance named 'cache' already exists."));

        mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true").param("name", "cache")
                .param("url", "redis://:pw-2@127.0.0.1:6390"))
                // the form handled the mistake: 200, so browsers log no failed request (see OverviewController)
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist("HX-Trigger"))
                .andExpect(content().string(allOf(startsWith("<form id=\"add-form\""), not(containsString("<html")),
                        containsString("An instance named &#39;cache&#39; already exists."),
                        not(containsString("pw-2")))));
    }

    @Test
    void theHtmxFormAddsTellsTheCardsAndEmptiesItself() throws Exception {
        given(instances.add(eq("cache"), eq("redis://127.0.0.1:6390"), anyList(), any())).willReturn(new Instance(
                InstanceId.of("cache"), "cache", RedisUrl.of("redis://127.0.0.1:6390"), Instance.Source.RUNTIME));

        mvc.perform(post("/instances").with(csrf()).header("HX-Request", "true").param("name", "cache")
                .param("url", "redis://127.0.0.1:6390").param("tags", "env:prod"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Trigger", containsString("instances-changed")))
                .andExpect(content().string(allOf(containsString("Added cache. Its first sample is being taken."),
                        containsString("name=\"name\" type=\"text\""), not(containsString("value=\"cache\"")))));
        verify(instances).add("cache", "redis://127.0.0.1:6390", List.of("env:prod"), null);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/instances").param("name", "cache").param("url", "redis://127.0.0.1:6390"))
                .andExpect(status().isForbidden());
        verifyNoInteractions(instances);
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerSeesThePageWithoutTheFormAndMayNotAdd() throws Exception {
        given(overview.overview(any())).willReturn(twoCards());

        mvc.perform(get("/"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("data-instance=\"cache-eu-1\""),
                        containsString("Signed in as <strong>user</strong>"), containsString(">viewer<"),
                        not(containsString("id=\"add-form\"")))));
        mvc.perform(post("/instances").with(csrf()).param("name", "cache").param("url", "redis://127.0.0.1:6390"))
                .andExpect(status().isForbidden());
        verify(instances, never()).add(any(), any(), anyList(), any());
    }

    @Test
    @WithMockUser(roles = {"VIEWER", "OPERATOR"})
    void anOperatorSeesTheForm() throws Exception {
        given(overview.overview(any())).willReturn(twoCards());

        mvc.perform(get("/"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString(">operator<"), containsString("id=\"add-form\""))));
    }
}
