package io.memdoctor.instances;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.support.WebSlice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The instances' JSON API and the tag editor alone ({@code @WebMvcTest}): answers, problem details for bad input,
 * the editor with and without {@code HX-Request}, and the roles. {@link InstanceService} and {@link MemoryLimits}
 * are mocked.
 */
@WebSlice({InstanceApiController.class, InstanceTagsPageController.class, InstanceMemoryLimitPageController.class})
class InstanceWebTests {

    static final Instance CACHE = new Instance(InstanceId.of("cache"), "cache",
            RedisUrl.of("redis://:s3cret-pw@10.0.0.5:6379"), Instance.Source.RUNTIME);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    InstanceService instances;

    @MockitoBean
    InstanceStatus.Source statuses;

    @MockitoBean
    MemoryLimits limits;

    @BeforeEach
    void cache() {
        given(instances.get("cache")).willReturn(CACHE);
        given(instances.get("nope")).willThrow(new InstanceNotFoundException("nope"));
        given(instances.tagsOf(CACHE.id())).willReturn(List.of("env:prod"));
        given(statuses.statusOf(CACHE.id())).willReturn(new InstanceStatus("OK",
                Instant.parse("2026-11-30T02:59:00Z"), null, null));
    }

    @Test
    void anInstanceIsJsonWithItsPasswordHidden() throws Exception {
        mvc.perform(get("/api/instances/cache"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.id").value("cache"))
                .andExpect(jsonPath("$.url").value("redis://:***@10.0.0.5:6379"))
                .andExpect(jsonPath("$.status").value("OK"))
                .andExpect(jsonPath("$.source").value("RUNTIME"))
                .andExpect(jsonPath("$.tags[0]").value("env:prod"))
                .andExpect(content().string(not(containsString("s3cret-pw"))));
    }

    @Test
    void theListFiltersByTagsAndRefusesABadOne() throws Exception {
        given(instances.findTagged(List.of("env:prod"))).willReturn(List.of(CACHE));
        given(instances.tagsOfAll()).willReturn(Map.of(CACHE.id(), List.of("env:prod")));

        mvc.perform(get("/api/instances").param("tag", "env:prod"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].name").value("cache"));
        mvc.perform(get("/api/instances").param("tag", "env prod"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("a tag must not contain spaces, commas or control characters"));
    }

    @Test
    void badInputIsA4xxProblemDetailNeverA500() throws Exception {
        given(instances.add(anyString(), anyString(), anyList(), any()))
                .willThrow(new InvalidRedisUrlException("URL must start with redis:// or rediss://"));

        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"url\":\"http://10.0.0.5\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.detail").value("URL must start with redis:// or rediss://"));
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid request body"))
                .andExpect(jsonPath("$.detail").value("The request body is not valid JSON of the expected shape."));
        mvc.perform(get("/api/instances/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Unknown instance"));
        mvc.perform(put("/api/instances/cache/tags").contentType(MediaType.APPLICATION_JSON)
                .content("{\"tags\":{\"env\":\"prod\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("The request body is not valid JSON of the expected shape."));
        verify(instances, never()).retag(anyString(), anyList());
    }

    @Test
    void aNameTakenIsA409() throws Exception {
        given(instances.add(anyString(), anyString(), anyList(), any()))
                .willThrow(new DuplicateInstanceException("An instance named 'cache' already exists."));

        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"cache\",\"url\":\"redis://10.0.0.5\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.title").value("Instance already exists"));
    }

    @Test
    void addingAnswers201WithWhereItLives() throws Exception {
        given(instances.add("cache", "redis://:s3cret-pw@10.0.0.5:6379", List.of("env:prod"), null)).willReturn(CACHE);

        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"cache\",\"url\":\"redis://:s3cret-pw@10.0.0.5:6379\",\"tags\":[\"env:prod\"]}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/instances/cache"))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(content().string(not(containsString("s3cret-pw"))));
    }

    @Test
    void theTagEditorWithHtmxSavesAndAnswersItself() throws Exception {
        given(instances.retag("cache", List.of("env:prod", "team:search"))).willReturn(List.of("env:prod",
                "team:search"));

        mvc.perform(post("/instances/cache/tags").with(csrf()).header("HX-Request", "true")
                .param("tags", "env:prod, team:search"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(startsWith("<div id=\"tag-editor\""), not(containsString("<html")),
                        containsString("Tags saved."), containsString("team:search"))));
    }

    @Test
    void theTagEditorWithHtmxAnswersABadTagWithWhatWasTyped() throws Exception {
        mvc.perform(post("/instances/cache/tags").with(csrf()).header("HX-Request", "true")
                .param("tags", "env:prod, team:"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(startsWith("<div id=\"tag-editor\""),
                        containsString("a tag is key:value or a word, not &#39;team:&#39;"),
                        containsString("value=\"env:prod, team:\""), containsString("aria-invalid=\"true\""),
                        not(containsString("Tags saved.")))));
        verify(instances, never()).retag(anyString(), anyList());
    }

    @Test
    void theTagFormWithoutHtmxGoesBackToThePageOrIsA400Page() throws Exception {
        mvc.perform(post("/instances/cache/tags").with(csrf()).param("tags", "env:prod"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/instances/cache"));
        verify(instances).retag("cache", List.of("env:prod"));

        mvc.perform(post("/instances/cache/tags").with(csrf()).param("tags", "team:"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(allOf(containsString("<html"),
                        containsString("a tag is key:value or a word, not &#39;team:&#39;"))));
        mvc.perform(post("/instances/nope/tags").with(csrf()).param("tags", "env:prod"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("No instance with id &#39;nope&#39;")));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerReadsButMayNotChangeAnything() throws Exception {
        mvc.perform(get("/api/instances/cache")).andExpect(status().isOk());
        mvc.perform(post("/api/instances").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"url\":\"redis://10.0.0.5\"}"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Your role may not do this; it needs OPERATOR."));
        mvc.perform(delete("/api/instances/cache")).andExpect(status().isForbidden());
        mvc.perform(post("/instances/cache/tags").with(csrf()).header("HX-Request", "true").param("tags", "a"))
                .andExpect(status().isForbidden());
        mvc.perform(put("/api/instances/cache/memory-limit").contentType(MediaType.APPLICATION_JSON)
                .content("{\"memoryLimit\": 1073741824}")).andExpect(status().isForbidden());
        mvc.perform(post("/instances/cache/memory-limit").with(csrf()).header("HX-Request", "true")
                .param("memoryLimit", "1GB")).andExpect(status().isForbidden());
        verify(limits, never()).declare(anyString(), any());
        verify(instances, never()).add(any(), any(), anyList(), any());
        verify(instances, never()).remove(anyString());
        verify(instances, never()).retag(anyString(), anyList());
    }

    @Test
    @WithMockUser(roles = {"VIEWER", "OPERATOR"})
    void anOperatorRemoves() throws Exception {
        mvc.perform(delete("/api/instances/cache")).andExpect(status().isNoContent());
        verify(instances).remove("cache");
        willThrow(new InstanceNotFoundException("nope")).given(instances).remove("nope");
        mvc.perform(delete("/api/instances/nope")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown instance"));
    }
}
