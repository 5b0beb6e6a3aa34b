package io.memdoctor.web;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint answers bad input with a 4xx problem detail (never a 500, never a stack trace) and keeps the
 * stored instances as they were. Runs against the real server, so the container's error path is covered too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ApiBadInputTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    static Stream<Arguments> badRequests() {
        String json = "application/json";
        return Stream.of(
                Arguments.of("POST", "/api/instances", json, "{not json", 400, "not valid JSON"),
                Arguments.of("POST", "/api/instances", json, "", 400, null),
                Arguments.of("POST", "/api/instances", json, "[]", 400, null),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"x\"}", 400, "URL is required"),
                Arguments.of("POST", "/api/instances", json, "{\"url\":\"redis://h:1\"}", 400, "name is required"),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"x\",\"url\":\"http://h:1\"}", 400, "redis://"),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"x\",\"url\":\"redis://h:70000\"}", 400, "port"),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"x\",\"url\":\"redis://h:1/db\"}", 400, "database"),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"!!!\",\"url\":\"redis://h:1\"}", 400, "letter or digit"),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"" + "n".repeat(101) + "\",\"url\":\"redis://h:1\"}", 400, "at most 100"),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"a\\nb\",\"url\":\"redis://h:1\"}", 400, "control"),
                Arguments.of("POST", "/api/instances", json, "{\"name\":7,\"url\":[1]}", 400, null),
                Arguments.of("POST", "/api/instances", json, "{\"name\":\"local\",\"url\":\"redis://h:1\"}", 409, "already exists"),
                Arguments.of("POST", "/api/instances", "text/plain", "name=x", 415, null),
                Arguments.of("DELETE", "/api/instances/no-such-thing", null, null, 404, "no-such-thing"),
                Arguments.of("GET", "/api/instances/NOT%20AN%20ID", null, null, 404, null),
                Arguments.of("GET", "/api/instances/nope/snapshots", null, null, 404, "nope"),
                Arguments.of("GET", "/api/instances/local/snapshots?from=yesterday", null, null, 400, null),
                Arguments.of("GET", "/api/instances/local/snapshots?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", null, null, 400, "before"),
                Arguments.of("GET", "/api/instances/local/snapshots?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", null, null, 400, "400 days"),
                Arguments.of("GET", "/api/instances/local/snapshots?maxPoints=0", null, null, 400, "maxPoints"),
                Arguments.of("GET", "/api/instances/local/snapshots?maxPoints=1000000", null, null, 400, "maxPoints"),
                Arguments.of("GET", "/api/instances/local/snapshots?maxPoints=lots", null, null, 400, null),
                Arguments.of("GET", "/api/instances/local/snapshots?fields=usedMemory,nope", null, null, 400, "'nope' is not a metric"),
                Arguments.of("GET", "/api/instances/local/snapshots?fields=", null, null, 400, "fields"),
                Arguments.of("GET", "/api/instances/local/snapshots?fields=usedMemory,,totalForks", null, null, 400, "fields"),
                Arguments.of("GET", "/api/instances/nope/snapshots/latest", null, null, 404, null),
                Arguments.of("POST", "/api/instances/nope/snapshots", null, null, 404, null),
                Arguments.of("GET", "/api/instances/nope/info", null, null, 404, null),
                Arguments.of("GET", "/api/no-such-endpoint", null, null, 404, null),
                Arguments.of("PUT", "/api/instances", json, "{}", 405, null),
                Arguments.of("PATCH", "/api/instances/local", json, "{}", 405, null));
    }

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @MethodSource("badRequests")
    void answersWithAProblemDetail(String method, String path, String contentType, String body, int expected,
            String detailContains) throws Exception {
        int before = instanceCount();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/json");
        if (contentType != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String answer = response.body();

        assertThat(response.statusCode()).as(answer).isEqualTo(expected);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/problem+json");
        assertThat(answer).contains("\"status\":" + expected).contains("\"title\"").doesNotContain("Exception")
                .doesNotContain("at io.memdoctor").doesNotContain("at org.springframework");
        if (detailContains != null) {
            assertThat(answer).contains(detailContains);
        }
        assertThat(instanceCount()).isEqualTo(before);
    }

    @Test
    void encodedSlashesAreRefusedByTheContainerWithoutATrace() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/instances/..%2Fetc")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
        assertThat(instanceCount()).isEqualTo(1);
    }

    @Test
    void unknownPathsInTheBrowserGetAReadablePage() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/no/such/page")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Not Found").contains("There is nothing at this address")
                .contains("Back to the instances");
    }

    private int instanceCount() throws Exception {
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/instances"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return list.split("\"id\"", -1).length - 1;
    }
}
