package io.memdoctor.scans.web;

import java.time.Instant;
import java.util.List;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.scans.ScanNotFoundException;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanSource;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.support.WebSlice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.ErrorResponseException;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The scan pages and API alone ({@code @WebMvcTest}): the history page and its fragment, the launch form's answers
 * with and without {@code HX-Request}, the progress fragment, problem details, and the roles. {@link ScanService}
 * and {@link InstanceService} are mocked.
 */
@WebSlice({ScanPageController.class, ScanApiController.class})
class ScanWebTests {

    static final Instance CACHE = new Instance(InstanceId.of("cache"), "cache", RedisUrl.of("redis://10.0.0.5:6379"),
            Instance.Source.RUNTIME);
    static final Instant STARTED = Instant.parse("2026-11-30T02:58:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ScanService scans;

    @MockitoBean
    InstanceService instances;

    static ScanView running(String id) {
        return new ScanView(id, "cache", ScanStatus.RUNNING, ScanParameters.defaults(), STARTED, null, 420_000,
                1_000_000, 100_000, 6L, 0.42, 4.2, null, null, null, null, "primary", false, List.of());
    }

    static ScanView done(String id) {
        return new ScanView(id, "cache", ScanStatus.DONE, ScanParameters.defaults(), STARTED,
                STARTED.plusSeconds(10), 1_000_000, 1_000_000, 100_000, null, 1.0, 10, null, 1_000_000L, 52_000_000L,
                null, "primary", false, List.of());
    }

    @BeforeEach
    void cache() {
        given(instances.get("cache")).willReturn(CACHE);
    }

    @Test
    void aPlainGetIsThePageWithTheLaunchFormAndTheHistory() throws Exception {
        given(scans.list("cache")).willReturn(List.of(done("scan-2"), done("scan-1")));

        mvc.perform(get("/instances/cache/scans"))
                .andExpect(status().isOk())
                .andExpect(header().string("Vary", containsString("HX-Request")))
                .andExpect(content().string(allOf(startsWith("<!DOCTYPE html>"), containsString("id=\"launch-form\""),
                        containsString("name=\"maxKeysPerSecond\""), containsString("href=\"/scans/scan-2\""),
                        containsString("href=\"/scans/scan-1\""), containsString("1,000,000"),
                        containsString("No replica online."), containsString("action=\"/scans/compare\""))));
    }

    @Test
    void anHtmxGetIsTheHistoryAloneThatPollsWhileAScanRuns() throws Exception {
        given(scans.list("cache")).willReturn(List.of(running("scan-3"), done("scan-2")));

        mvc.perform(get("/instances/cache/scans").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(startsWith("<div id=\"history\""), not(containsString("<html")),
                        not(containsString("id=\"launch-form\"")), containsString("hx-trigger=\"every 2s\""),
                        containsString("42 %"), containsString("href=\"/scans/scan-3\""))));
    }

    @Test
    void theFormWithoutHtmxRedirectsToTheNewScan() throws Exception {
        given(scans.start(eq("cache"), any(), any())).willReturn(running("scan-4"));

        mvc.perform(post("/instances/cache/scans").with(csrf()).param("match", "user:*").param("count", "500"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/scans/scan-4"));
        verify(scans).start(eq("cache"), org.mockito.ArgumentMatchers.argThat(p -> p.match().equals("user:*")
                && p.count() == 500), eq(null));
    }

    @Test
    void theHtmxFormSendsHtmxToTheNewScan() throws Exception {
        given(scans.start(eq("cache"), any(), eq(ScanSource.PRIMARY))).willReturn(running("scan-5"));

        mvc.perform(post("/instances/cache/scans").with(csrf()).header("HX-Request", "true").param("from", "primary"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Redirect", "/scans/scan-5"));
    }

    @Test
    void aBadValueBringsTheFormBackAs400WithAndWithoutHtmx() throws Exception {
        for (boolean htmx : new boolean[] {true, false}) {
            var request = post("/instances/cache/scans").with(csrf()).param("match", "user:*").param("count", "0");
            if (htmx) {
                request.header("HX-Request", "true");
            }
            mvc.perform(request)
                    .andExpect(status().isBadRequest())
                    .andExpect(content().string(allOf(startsWith("<form id=\"launch-form\""),
                            not(containsString("<html")), containsString("count must be between 1 and 10000"),
                            containsString("value=\"user:*\""))));
        }
        verify(scans, never()).start(anyString(), any(), any());
    }

    @Test
    void aScanAlreadyRunningBringsTheFormBackAs409() throws Exception {
        ProblemDetail running = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "A scan of 'cache' is already running (scan-3).");
        given(scans.start(eq("cache"), any(), any()))
                .willThrow(new ErrorResponseException(HttpStatus.CONFLICT, running, null));

        mvc.perform(post("/instances/cache/scans").with(csrf()).header("HX-Request", "true"))
                .andExpect(status().isConflict())
                .andExpect(content().string(allOf(startsWith("<form id=\"launch-form\""),
                        containsString("A scan of &#39;cache&#39; is already running (scan-3)."))));
    }

    @Test
    void theProgressFragmentPollsUntilTheEndThenReloadsThePage() throws Exception {
        given(scans.get("scan-3")).willReturn(running("scan-3"));
        given(scans.get("scan-2")).willReturn(done("scan-2"));

        mvc.perform(get("/scans/scan-3").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(startsWith("<section id=\"scan-progress\""),
                        containsString("hx-trigger=\"every 1s\""), containsString("42.0 %"),
                        containsString("420,000"), containsString("hx-delete=\"/api/scans/scan-3\""))));
        mvc.perform(get("/scans/scan-2").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(header().string("HX-Refresh", "true"));
        mvc.perform(get("/scans/scan-3"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("<html"), containsString("id=\"scan-progress\""))));
    }

    @Test
    void theApiRefusesBadParametersWithProblemDetails() throws Exception {
        String[][] cases = {{"{\"count\": 0}", "count must be between 1 and 10000"},
            {"{\"type\": \"blob\"}", "type must be one of string, list, set, zset, hash, stream"},
            {"{\"from\": \"sideways\"}", "from must be \\\"primary\\\" or \\\"replica\\\""},
            {"{\"count\": \"many\"}", "not valid JSON of the expected shape"},
            {"{\"count\": ", "not valid JSON of the expected shape"}};
        for (String[] bad : cases) {
            mvc.perform(post("/api/instances/cache/scans").contentType(MediaType.APPLICATION_JSON).content(bad[0]))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(400))
                    .andExpect(jsonPath("$.detail", containsString(bad[1].replace("\\\"", "\""))));
        }
        verify(scans, never()).start(anyString(), any(), any());
    }

    @Test
    void theApiStartsWith202AndAnswersUnknownScansWith404() throws Exception {
        given(scans.start(eq("cache"), any(), any())).willReturn(running("scan-6"));
        given(scans.get("nope")).willThrow(new ScanNotFoundException("nope"));

        mvc.perform(post("/api/instances/cache/scans").contentType(MediaType.APPLICATION_JSON)
                .content("{\"maxKeysPerSecond\": 1000}"))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/api/scans/scan-6"))
                .andExpect(jsonPath("$.id").value("scan-6"))
                .andExpect(jsonPath("$.status").value("RUNNING"));
        mvc.perform(get("/api/scans/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Unknown scan"));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerFollowsScansButStartsAndCancelsNone() throws Exception {
        given(scans.list("cache")).willReturn(List.of(done("scan-2")));
        given(scans.get("scan-3")).willReturn(running("scan-3"));

        mvc.perform(get("/instances/cache/scans"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("href=\"/scans/scan-2\""),
                        not(containsString("id=\"launch-form\"")))));
        mvc.perform(get("/scans/scan-3").header("HX-Request", "true"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"scan-progress\""),
                        not(containsString("hx-delete")))));
        mvc.perform(post("/instances/cache/scans").with(csrf()).header("HX-Request", "true"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/instances/cache/scans")).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("Your role may not do this; it needs OPERATOR."));
        mvc.perform(delete("/api/scans/scan-3")).andExpect(status().isForbidden());
        verify(scans, never()).start(anyString(), any(), any());
        verify(scans, never()).cancel(anyString());
    }
}
