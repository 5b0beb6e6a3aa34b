package io.memdoctor.overview;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.Metric;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotRepository;
import io.memdoctor.snapshots.SnapshotStatus;
import io.memdoctor.support.DashboardTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The overview's filters, grouping, order and pages, on five tagged instances with stored samples (other classes
 * share the database: every request here filters on this class's own tag).
 */
@DashboardTest
class OverviewFilterTests {

    static final String MINE = "suite:overview-filter";
    static final long MB = 1024 * 1024;

    @Autowired
    MockMvc mvc;

    @Autowired
    InstanceService instances;

    @Autowired
    SnapshotRepository snapshots;

    @BeforeEach
    void fleet() {
        if (instances.find(InstanceId.of("ovf-down")).isPresent()) {
            return;
        }
        // the ports are closed: each add's first background sample fails, so the samples below are stamped a
        // minute ahead to be the newest whatever that sample does
        Instant ahead = Instant.now().plusSeconds(60);
        add("ovf-down", 21, "env:prod");
        snapshots.save(ok(InstanceId.of("ovf-down"), ahead.minusSeconds(10), 50));
        snapshots.save(Snapshot.failed(InstanceId.of("ovf-down"), ahead, SnapshotStatus.UNREACHABLE, "Connection refused"));
        add("ovf-full", 22, "env:prod");
        snapshots.save(ok(InstanceId.of("ovf-full"), ahead, 95));
        instances.add("ovf-ok-a", "redis://127.0.0.1:23", List.of(MINE, "env:staging", "canary"));
        snapshots.save(ok(InstanceId.of("ovf-ok-a"), ahead, 10));
        add("ovf-ok-b", 24, "env:prod");
        snapshots.save(ok(InstanceId.of("ovf-ok-b"), ahead, 40));
        add("other-ok-c", 25, "team:c");
        snapshots.save(ok(InstanceId.of("other-ok-c"), ahead, 20));
    }

    private void add(String name, int port, String tag) {
        instances.add(name, "redis://127.0.0.1:" + port, List.of(MINE, tag));
    }

    private static Snapshot ok(InstanceId id, Instant at, long usedMb) {
        Map<Metric, Object> values = new EnumMap<>(Metric.class);
        values.put(Metric.USED_MEMORY, usedMb * MB);
        values.put(Metric.MAXMEMORY, 100 * MB);
        values.put(Metric.USED_MEMORY_RSS, usedMb * MB);
        values.put(Metric.KEYS, 1000L);
        return Snapshot.ok(id, at, values);
    }

    @Test
    void worstFirstThenFullestWithASummaryOfTheFilteredInstances() throws Exception {
        mvc.perform(get("/api/overview").param("tag", MINE)).andExpect(status().isOk())
                .andExpect(jsonPath("$.summary.instances").value(5)).andExpect(jsonPath("$.summary.down").value(1))
                .andExpect(jsonPath("$.summary.full").value(1)).andExpect(jsonPath("$.summary.alerts").value(0))
                .andExpect(jsonPath("$.groups.length()").value(1))
                .andExpect(jsonPath("$.groups[0].cards[*].id",
                        contains("ovf-down", "ovf-full", "ovf-ok-b", "other-ok-c", "ovf-ok-a")))
                .andExpect(jsonPath("$.groups[0].cards[0].attention").value("DOWN"))
                .andExpect(jsonPath("$.groups[0].cards[1].attention").value("FULL"))
                .andExpect(jsonPath("$.groups[0].cards[2].attention").value("NONE"));
    }

    @Test
    void filtersByTextTagsAndAttention() throws Exception {
        mvc.perform(get("/api/overview").param("tag", MINE).param("show", "attention"))
                .andExpect(jsonPath("$.matched").value(2))
                .andExpect(jsonPath("$.summary.instances").value(5))
                .andExpect(jsonPath("$.groups[0].cards[*].id", contains("ovf-down", "ovf-full")));
        mvc.perform(get("/api/overview").param("tag", MINE).param("show", "full"))
                .andExpect(jsonPath("$.groups[0].cards[*].id", contains("ovf-full")));
        mvc.perform(get("/api/overview").param("tag", MINE).param("tag", "env:prod"))
                .andExpect(jsonPath("$.summary.instances").value(3));
        mvc.perform(get("/api/overview").param("tag", MINE).param("q", "OK-B"))
                .andExpect(jsonPath("$.groups[0].cards[*].id", contains("ovf-ok-b")));
        mvc.perform(get("/api/overview").param("tag", MINE).param("q", "team:c"))
                .andExpect(jsonPath("$.groups[0].cards[*].id", contains("other-ok-c")));
    }

    @Test
    void groupsByTagKeyOrNamePrefixWorstGroupFirst() throws Exception {
        mvc.perform(get("/api/overview").param("tag", MINE).param("group", "env"))
                .andExpect(jsonPath("$.groups[*].name", contains("prod", "staging", "")))
                .andExpect(jsonPath("$.groups[0].total").value(3))
                .andExpect(jsonPath("$.groups[0].summary.down").value(1))
                .andExpect(jsonPath("$.groupKeys", org.hamcrest.Matchers.hasItems("env", "suite", "team")));
        // a plain-word tag groups too: the instances that carry it, then the rest
        mvc.perform(get("/api/overview").param("tag", MINE).param("group", "canary"))
                .andExpect(jsonPath("$.groups[*].name", contains("", "canary")))
                .andExpect(jsonPath("$.groups[1].cards[*].id", contains("ovf-ok-a")))
                .andExpect(jsonPath("$.groupKeys", org.hamcrest.Matchers.hasItem("canary")));
        mvc.perform(get("/").param("tag", MINE).param("group", "canary"))
                .andExpect(content().string(containsString("(no canary tag)")))
                .andExpect(content().string(containsString("<option value=\"canary\" selected=\"selected\">tag canary</option>")));
        mvc.perform(get("/api/overview").param("tag", MINE).param("group", "prefix"))
                .andExpect(jsonPath("$.groups[*].name", contains("ovf", "other")))
                .andExpect(jsonPath("$.groups[0].total").value(4));
    }

    @Test
    void pagesKeepTheOrderAcrossGroups() throws Exception {
        mvc.perform(get("/api/overview").param("tag", MINE).param("group", "env").param("size", "2").param("page", "2"))
                .andExpect(jsonPath("$.pages").value(3)).andExpect(jsonPath("$.page").value(2))
                .andExpect(jsonPath("$.groups[*].name", contains("prod", "staging")))
                .andExpect(jsonPath("$.groups[0].cards[*].id", contains("ovf-ok-b")))
                .andExpect(jsonPath("$.groups[1].cards[*].id", contains("ovf-ok-a")));
        // a page past the end shows the last one
        mvc.perform(get("/api/overview").param("tag", MINE).param("size", "2").param("page", "9"))
                .andExpect(jsonPath("$.page").value(3));
    }

    @Test
    void badFiltersAreA400WithAReason() throws Exception {
        mvc.perform(get("/api/overview").param("show", "broken")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.detail", containsString("show must be one of")));
        mvc.perform(get("/api/overview").param("page", "0")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/overview").param("size", "100000")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/overview").param("page", "two")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/overview").param("group", "a b")).andExpect(status().isBadRequest());
        String page = mvc.perform(get("/").param("show", "broken")).andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("show must be one of");
    }

    @Test
    void theCardsFragmentKeepsItsFiltersInItsRefreshAndLinks() throws Exception {
        String fragment = mvc.perform(get("/").header("HX-Request", "true").param("tag", MINE).param("group", "env")
                        .param("show", "attention"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(fragment).startsWith("<section").doesNotContain("<html")
                .contains("hx-get=\"/?tag=suite:overview-filter&amp;group=env&amp;show=attention\"")
                .contains("href=\"/?tag=suite:overview-filter&amp;group=env&amp;show=down\"")
                .contains("data-instance=\"ovf-down\"").contains("data-instance=\"ovf-full\"")
                .doesNotContain("data-instance=\"ovf-ok-a\"").contains("env:prod").contains("<strong>2</strong> need attention");
        String page = mvc.perform(get("/").param("tag", MINE).param("q", "ovf"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"overview-filters\"").contains("hx-push-url=\"true\"")
                .contains("value=\"ovf\"").contains("<option value=\"env\">tag env</option>");
    }

    /**
     * Many instances needing a look on one page read as rows with why, not as a wall of cards: 13 near full and
     * 12 healthy of their own tag. Filtered to the 13 alone, they are cards again.
     */
    @Test
    void manyInstancesNeedingALookAreRowsWithWhy() throws Exception {
        String rows = "suite:overview-rows";
        if (!instances.find(InstanceId.of("ovr-full-00")).isPresent()) {
            Instant ahead = Instant.now().plusSeconds(60);
            for (int i = 0; i < 25; i++) {
                String name = (i < 13 ? "ovr-full-" : "ovr-ok-") + String.format("%02d", i);
                instances.add(name, "redis://127.0.0.1:" + (100 + i), List.of(rows));
                snapshots.save(ok(InstanceId.of(name), ahead, i < 13 ? 93 : 30));
            }
        }
        String page = mvc.perform(get("/").header("HX-Request", "true").param("tag", rows))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("<table class=\"data rows attention-rows\">").contains("93 % of maxmemory")
                .doesNotContain("<article class=\"card");
        assertThat(page.split("<tr class=\"attention-full\"", -1)).hasSize(14);
        assertThat(page.split("<td class=\"limit\">", -1)).as("a bar in every row").hasSize(26);
        assertThat(page.split("data-instance=\"ovr-ok-", -1)).hasSize(13);

        String few = mvc.perform(get("/").header("HX-Request", "true").param("tag", rows).param("show", "full"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(few).doesNotContain("attention-rows");
        assertThat(few.split("<article class=\"card", -1)).hasSize(14);
    }
}
