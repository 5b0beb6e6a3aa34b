package io.memdoctor.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The OpenAPI document lists every {@code /api/**} mapping and its problem-details errors, and a VIEWER reads it. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ApiDocsTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyApiMappingIsInTheDocumentWithProblemDetails() throws Exception {
        JsonNode paths = document().get("paths");
        List<String> expected = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, ?> entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                var methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method : methods.isEmpty() ? List.of(RequestMethod.GET) : methods) {
                    expected.add(method + " " + pattern);
                }
            }
        }
        assertThat(expected).hasSizeGreaterThan(15);
        List<String> missing = expected.stream().filter(m -> {
            String[] parts = m.split(" ", 2);
            JsonNode path = paths.get(parts[1]);
            return path == null || path.get(parts[0].toLowerCase(Locale.ROOT)) == null;
        }).toList();
        assertThat(missing).as("mappings missing from /v3/api-docs").isEmpty();

        JsonNode latest = paths.get("/api/instances/{id}/snapshots/latest").get("get").get("responses");
        assertThat(latest.get("4XX").get("content").get("application/problem+json").get("schema").get("$ref")
                .asString()).isEqualTo("#/components/schemas/ProblemDetail");
    }

    @Test
    void aViewerReadsTheDocumentAndSwaggerUi() throws Exception {
        mvc.perform(get("/v3/api-docs").with(user("v").roles("VIEWER"))).andExpect(status().isOk());
        mvc.perform(get("/swagger-ui/index.html").with(user("v").roles("VIEWER"))).andExpect(status().isOk());
    }

    private JsonNode document() throws Exception {
        return json.readTree(mvc.perform(get("/v3/api-docs")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString());
    }
}
