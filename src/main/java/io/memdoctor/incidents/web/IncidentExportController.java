package io.memdoctor.incidents.web;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.IncidentService;
import io.memdoctor.incidents.Samples;
import io.memdoctor.incidents.export.IncidentExports;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.security.CurrentUser;
import io.memdoctor.snapshots.HistoryRange;
import io.memdoctor.snapshots.SnapshotHistory;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Downloads: an incident in json, md, csv or html, and a raw range of samples without an incident. */
@RestController
class IncidentExportController {

    /** Samples a raw range export holds at most; longer ranges keep each bucket's minimum and maximum. */
    static final int MAX_RANGE_POINTS = 20_000;

    private final IncidentService incidents;
    private final IncidentExports exports;
    private final InstanceService instances;
    private final SnapshotHistory history;
    private final Clock clock;

    IncidentExportController(IncidentService incidents, IncidentExports exports, InstanceService instances,
            SnapshotHistory history, Clock clock) {
        this.incidents = incidents;
        this.exports = exports;
        this.instances = instances;
        this.history = history;
        this.clock = clock;
    }

    /**
     * @param format json (the complete record, re-importable), md (a postmortem draft), csv (the window's samples;
     *     {@code table=keys|patterns} for the scan's tables, {@code rdb-keys|rdb-patterns} for an attached RDB
     *     file's) or html (one self-contained file)
     * @param redactKeys hash the id-like parts of key names
     *     (a viewer's download hides slow log arguments, as the page does; an operator's carries them)
     */
    @GetMapping("/api/incidents/{id}/export")
    ResponseEntity<byte[]> export(@PathVariable String id, @RequestParam(defaultValue = "json") String format,
            @RequestParam(defaultValue = "false") boolean redactKeys, @RequestParam(required = false) String table) {
        Incident incident = incidents.get(id);
        // a viewer's download must not carry what the page hides from it
        return Downloads.of(exports.export(CurrentUser.isOperator() ? incident : SlowlogArguments.hidden(incident),
                format, redactKeys, table));
    }

    /**
     * Samples of {@code [from, to)} (default: the last hour) as csv or json, up to 20,000 points. Samples carry no
     * key names, so {@code redactKeys} changes nothing here; it is accepted like on every export.
     */
    @GetMapping("/api/instances/{id}/snapshots/export")
    ResponseEntity<byte[]> samples(@PathVariable String id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "csv") String format,
            @RequestParam(defaultValue = "false") boolean redactKeys) {
        Instance instance = instances.get(id);
        HistoryRange range = HistoryRange.of(from, to, MAX_RANGE_POINTS, clock);
        List<Map<String, Object>> samples = history.range(instance.id(), range.from(), range.to(),
                range.maxPoints()).points().stream()
                .map(Samples::of).toList();
        return Downloads.of(exports.samples(instance.id().value(), range.from(), range.to(), samples, format));
    }
}
