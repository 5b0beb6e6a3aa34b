package io.memdoctor.snapshots;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Snapshot history of one instance, as JSON. */
@RestController
@RequestMapping("/api/instances/{id}")
class SnapshotApiController {

    private final InstanceService instances;
    private final SnapshotHistory history;
    private final Clock clock;

    SnapshotApiController(InstanceService instances, SnapshotHistory history, Clock clock) {
        this.instances = instances;
        this.history = history;
        this.clock = clock;
    }

    /**
     * Samples of {@code [from, to)} in time order (default: the last hour). Above {@code maxPoints} the series is
     * reduced to each bucket's minimum and maximum, so spikes survive; {@code X-Downsampled-Bucket} then gives the
     * bucket width. {@code fields} (comma-separated JSON names) keeps only those metrics in each point: the charts
     * draw a few of them, so their answers shrink several times (docs/benchmarks/page-load.md).
     */
    @GetMapping("/snapshots")
    ResponseEntity<List<SnapshotResponse>> history(@PathVariable String id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) Integer maxPoints, @RequestParam(required = false) String fields) {
        Instance instance = instances.get(id);
        HistoryRange range = HistoryRange.of(from, to, maxPoints, clock);
        List<Metric> metrics = fields == null ? Metric.all() : Metric.byJsonNames(fields);
        SnapshotHistory.HistoryResult result = history.range(instance.id(), range.from(), range.to(),
                range.maxPoints());
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .header("X-Samples-In-Range", Long.toString(result.samples()));
        if (result.downsampled()) {
            response.header("X-Downsampled-Bucket", result.bucket().toString());
        }
        return response.body(result.points().stream().map(point -> SnapshotResponse.of(point, metrics)).toList());
    }

    @GetMapping("/snapshots/latest")
    SnapshotResponse latest(@PathVariable String id) {
        Instance instance = instances.get(id);
        return history.latest(instance.id()).map(SnapshotResponse::of)
                .orElseThrow(() -> notYet(instance));
    }

    /**
     * The full text of the newest successful {@code INFO all}. Not declared as {@code produces}, so an unknown
     * instance is a 404 problem detail whatever the client accepts.
     */
    @GetMapping("/info")
    ResponseEntity<String> info(@PathVariable String id) {
        Instance instance = instances.get(id);
        String text = history.infoText(instance.id()).orElseThrow(() -> notYet(instance));
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
                .body(text);
    }

    /**
     * What replication costs the instance in memory: replica output buffers, the backlog, the shared replication
     * buffer, and each replica's lag (seconds and bytes behind). Fields the server does not report are null.
     */
    @GetMapping("/replication")
    ReplicationMemory replication(@PathVariable String id) {
        return history.replicationMemory(instances.get(id).id());
    }

    /**
     * The key-size histograms of {@code INFO keysizes} in the newest sample (Redis 8+): per type, keys per
     * power-of-two size bucket. {@code available} is false, with no types, on servers without them.
     */
    @GetMapping("/keysizes")
    KeySizesResponse keySizes(@PathVariable String id) {
        KeySizes sizes = history.keySizes(instances.get(id).id());
        return new KeySizesResponse(sizes.present(), sizes.types());
    }

    /**
     * @param available whether the server reports INFO keysizes
     * @param types one histogram per type with keys
     */
    record KeySizesResponse(boolean available, java.util.List<KeySizes.TypeHistogram> types) {
    }

    private static ErrorResponseException notYet(Instance instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No sample of '" + instance.id() + "' yet; POST /api/instances/" + instance.id()
                        + "/snapshots takes one now.");
        problem.setTitle("No sample yet");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
