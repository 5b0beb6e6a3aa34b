package io.memdoctor.instances;

import io.memdoctor.support.DashboardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Tags through the API: given when added, returned, replaced, filtered on (AND), refused when malformed. */
@DashboardTest
class InstanceTagsApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Test
    void addedWithTagsFilteredByEveryTagAndReplaced() throws Exception {
        mvc.perform(post("/api/instances").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "tagged search", "url": "redis://127.0.0.1:11", "tags": ["team:search", "env:prod", "env:prod", " canary "]}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.tags", contains("canary", "env:prod", "team:search")));
        mvc.perform(post("/api/instances").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "tagged other", "url": "redis://127.0.0.1:12", "tags": ["env:prod", "team:other-tagged"]}"""))
                .andExpect(status().isCreated());

        mvc.perform(get("/api/instances").param("tag", "env:prod").param("tag", "team:search"))
                .andExpect(status().isOk()).andExpect(jsonPath("$[*].id", contains("tagged-search")));
        mvc.perform(get("/api/instances").param("tag", "team:other-tagged"))
                .andExpect(jsonPath("$[*].id", contains("tagged-other")));
        mvc.perform(get("/api/instances/tagged-search")).andExpect(jsonPath("$.tags", contains("canary", "env:prod",
                "team:search")));

        mvc.perform(put("/api/instances/tagged-search/tags").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"tags\": [\"env:staging\"]}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.tags", contains("env:staging")));
        mvc.perform(get("/api/instances").param("tag", "team:search")).andExpect(jsonPath("$.length()").value(0));

        mvc.perform(delete("/api/instances/tagged-other").with(csrf())).andExpect(status().isNoContent());
        mvc.perform(get("/api/instances").param("tag", "team:other-tagged")).andExpect(jsonPath("$.length()").value(0));
        assertThat(instances.tagsOfAll()).doesNotContainKey(InstanceId.of("tagged-other"));
    }

    @Test
    void malformedTagsAreRefusedWithA400AndNothingIsAdded() throws Exception {
        String[] bad = {"\"env prod\"", "\"a,b\"", "\"line\\nbreak\"", "\"" + "x".repeat(65) + "\"", "\":prod\""};
        for (String tag : bad) {
            mvc.perform(post("/api/instances").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                            .content("{\"name\": \"badly tagged\", \"url\": \"redis://127.0.0.1:13\", \"tags\": [" + tag + "]}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                    .andExpect(jsonPath("$.detail", containsString("tag")));
        }
        assertThat(instances.find(InstanceId.of("badly-tagged"))).isEmpty();

        String many = String.join(",", java.util.stream.IntStream.range(0, 21).mapToObj(i -> "\"t" + i + "\"").toList());
        mvc.perform(put("/api/instances/local/tags").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"tags\": [" + many + "]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("at most 20 tags")));
        mvc.perform(put("/api/instances/nobody-here/tags").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"tags\": [\"env:prod\"]}"))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/instances").param("tag", "no spaces please"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("spaces")));
    }

    @Test
    void theInstancePageShowsAndEditsTags() throws Exception {
        instances.add("tag page", "redis://127.0.0.1:14", java.util.List.of("env:prod"));
        String page = mvc.perform(get("/instances/tag-page")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("id=\"tag-editor\"").contains("href=\"/?tag=env:prod\"").contains("Edit tags");

        String saved = mvc.perform(post("/instances/tag-page/tags").with(csrf()).header("HX-Request", "true")
                        .param("tags", "env:staging  team:tagpage,canary"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(saved).startsWith("<div").contains("Tags saved.").contains("canary").contains("team:tagpage")
                .doesNotContain("tag=env:prod");
        assertThat(instances.tagsOf(InstanceId.of("tag-page"))).containsExactly("canary", "env:staging", "team:tagpage");

        String refused = mvc.perform(post("/instances/tag-page/tags").with(csrf()).header("HX-Request", "true")
                        .param("tags", "<b>" + "x".repeat(70)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("at most 64 characters").contains("&lt;b&gt;xxx").doesNotContain("<b>x");
        assertThat(instances.tagsOf(InstanceId.of("tag-page"))).containsExactly("canary", "env:staging", "team:tagpage");

        mvc.perform(post("/instances/tag-page/tags").with(csrf()).param("tags", "env:prod"))
                .andExpect(status().is3xxRedirection());
        assertThat(instances.tagsOf(InstanceId.of("tag-page"))).containsExactly("env:prod");
    }
}
