package io.memdoctor.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.memdoctor.scans.ScanComparer;
import io.memdoctor.scans.ScanComparison;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.store.ScanRecord;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Offline analysis of RDB files: an uploaded file (streamed to disk under the data dir, deleted once read) or a
 * file in {@code memdoctor.rdb.directory} ({@link RdbFiles}). {@link RdbReader} reads one at a time in the
 * background and keeps the running ones; ended ones are in {@link RdbRepository}.
 */
@Service
public class RdbService {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final long CANCEL_WAIT_MILLIS = 10_000;
    private static final int LIST_LIMIT = 50;

    private final RdbFiles files;
    private final RdbReader reader;
    private final RdbRepository repository;
    private final Clock clock;
    private final ScanService scans;

    RdbService(RdbFiles files, RdbReader reader, RdbRepository repository, Clock clock, ScanService scans) {
        this.files = files;
        this.reader = reader;
        this.repository = repository;
        this.clock = clock;
        this.scans = scans;
    }

    /**
     * Stores an uploaded file and starts analysing it.
     *
     * @throws RdbRejectedException 413 beyond the size limit, 400 when it is not an RDB file this version reads
     */
    public RdbRecord upload(InputStream body, String filename) {
        String id = UUID.randomUUID().toString();
        RdbFiles.Upload upload = files.store(body, id);
        String source = filename == null || filename.isBlank() ? "upload" : filename.strip();
        return reader.start(new RdbAnalysis(id, source, upload.file(), true, upload.bytes(), clock.instant()));
    }

    /**
     * Starts analysing a file of {@code memdoctor.rdb.directory}.
     *
     * @param name a path relative to the directory; nothing outside it (no {@code ..}, no absolute path, no
     *     symbolic link leading out)
     */
    public RdbRecord analyseFile(String name) {
        Path file = files.inDirectory(name);
        try {
            return reader.start(new RdbAnalysis(UUID.randomUUID().toString(), name, file, false, Files.size(file),
                    clock.instant()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of {@code memdoctor.rdb.directory} (first level), by name; empty when it is not set. */
    public List<DirectoryFile> files() {
        return files.list();
    }

    /**
     * A file in the directory.
     *
     * @param name its name
     * @param bytes its size
     */
    public record DirectoryFile(String name, long bytes) {
    }

    /** Whether operators may analyse files of a server directory. */
    public boolean directoryConfigured() {
        return files.directoryConfigured();
    }

    /** An analysis: live progress while it runs, its report once ended. */
    public RdbRecord get(String id) {
        return reader.running(validId(id)).map(a -> a.view(clock.instant()))
                .orElseGet(() -> repository.find(id).orElseThrow(() -> new RdbNotFoundException(id)));
    }

    /**
     * Cancels a running analysis and waits (briefly) until what it read is stored.
     *
     * @throws RdbRejectedException 409 when it has already ended
     */
    public RdbRecord cancel(String id) {
        RdbAnalysis analysis = reader.running(validId(id)).orElse(null);
        if (analysis == null) {
            RdbRecord ended = get(id);
            throw new RdbRejectedException(HttpStatus.CONFLICT, "Already ended",
                    "the analysis has already ended (" + ended.status() + ")");
        }
        analysis.cancel();
        analysis.awaitEnd(CANCEL_WAIT_MILLIS);
        return get(id);
    }

    /** The running analyses, then the newest ended ones (without their reports). */
    public List<RdbRecord> list() {
        List<RdbRecord> all = new ArrayList<>();
        reader.runningViews().forEach(all::add);
        repository.list(LIST_LIMIT).stream().filter(r -> reader.running(r.id()).isEmpty()).forEach(all::add);
        return all;
    }

    /**
     * What grew and shrank from this analysis to another one or to a live scan, with the scans' own comparison.
     *
     * @param otherId an RDB analysis or a keyspace scan
     * @throws RdbRejectedException 409 when either has no results yet
     */
    public ScanComparison compare(String id, String otherId) {
        ScanRecord base = asScan(get(id));
        ScanRecord other;
        if (otherId != null && ID.matcher(otherId).matches() && (reader.running(otherId).isPresent()
                || repository.find(otherId).isPresent())) {
            other = asScan(get(otherId));
        }
        else {
            other = asScan(scans.get(otherId));
        }
        return ScanComparer.compare(base, other);
    }

    private static ScanRecord asScan(RdbRecord r) {
        if (r.report() == null || r.running()) {
            throw new RdbRejectedException(HttpStatus.CONFLICT, "No results yet",
                    "analysis " + r.id() + " has no results (" + r.status() + ")");
        }
        var results = r.report().results();
        return new ScanRecord(r.id(), "rdb:" + r.source(), r.status(), ScanParameters.defaults(), r.startedAt(),
                r.endedAt(), -1, r.keysRead(), r.elapsedMillis(), r.error(), results, results.keys(), results.bytes());
    }

    private static ScanRecord asScan(ScanView v) {
        if (v.results() == null || v.running()) {
            throw new RdbRejectedException(HttpStatus.CONFLICT, "No results yet",
                    "scan " + v.id() + " has no results (" + v.status() + ")");
        }
        return new ScanRecord(v.id(), v.instanceId(), v.status(), v.parameters(), v.startedAt(), v.endedAt(),
                v.keysTotal(), v.keysScanned(), Math.round(v.elapsedSeconds() * 1000), v.error(), v.results(),
                v.keys(), v.bytes());
    }

    private static String validId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new RdbNotFoundException(id);
        }
        return id;
    }
}
