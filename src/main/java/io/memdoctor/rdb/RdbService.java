package io.memdoctor.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.rdb.format.RdbCancelledException;
import io.memdoctor.rdb.format.RdbFormatException;
import io.memdoctor.rdb.format.RdbParser;
import io.memdoctor.scans.ScanComparer;
import io.memdoctor.scans.ScanComparison;
import io.memdoctor.scans.ScanService;
import io.memdoctor.scans.ScanView;
import io.memdoctor.scans.engine.ScanParameters;
import io.memdoctor.scans.engine.ScanStatus;
import io.memdoctor.scans.store.ScanRecord;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Offline analysis of RDB files: an uploaded file (streamed to disk under the data dir, deleted once read) or a
 * file in {@code memdoctor.rdb.directory}. One analysis reads at a time, on a background thread at low priority;
 * others wait their turn (shown RUNNING at 0 bytes). Running analyses live here; ended ones in
 * {@link RdbRepository}.
 */
@Service
public class RdbService {

    private static final Logger log = LoggerFactory.getLogger(RdbService.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final long CANCEL_WAIT_MILLIS = 10_000;
    private static final int LIST_LIMIT = 50;
    private static final int MAX_FILES_LISTED = 500;

    private final RdbProperties properties;
    private final RdbRepository repository;
    private final Clock clock;
    private final ScanService scans;
    private final Path uploads;
    private final Map<String, RdbAnalysis> running = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rdb-analysis");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });

    RdbService(RdbProperties properties, MemDoctorProperties memdoctor, RdbRepository repository, Clock clock,
            ScanService scans) {
        this.properties = properties;
        this.repository = repository;
        this.clock = clock;
        this.scans = scans;
        this.uploads = memdoctor.dataDir().resolve("rdb-uploads");
    }

    /**
     * Stores an uploaded file and starts analysing it.
     *
     * @throws RdbRejectedException 413 beyond the size limit, 400 when it is not an RDB file this version reads
     */
    public RdbRecord upload(InputStream body, String filename) {
        String id = UUID.randomUUID().toString();
        Path file;
        long size;
        try {
            Files.createDirectories(uploads);
            file = uploads.resolve(id + ".rdb");
            size = copyLimited(body, file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not store the upload under " + uploads, e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            RdbParser.checkHeader(in);
        }
        catch (RdbFormatException e) {
            deleteQuietly(file);
            throw RdbRejectedException.badRequest(e.getMessage());
        }
        catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(e);
        }
        String source = filename == null || filename.isBlank() ? "upload" : filename.strip();
        return start(new RdbAnalysis(id, source, file, true, size, clock.instant()));
    }

    private long copyLimited(InputStream body, Path file) throws IOException {
        long limit = properties.maxUploadSize().toBytes();
        long total = 0;
        byte[] buffer = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > limit) {
                    throw new RdbRejectedException(HttpStatus.CONTENT_TOO_LARGE, "File too large",
                            "The upload is larger than memdoctor.rdb.max-upload-size (" + properties.maxUploadSize()
                                    + "). Copy the file into memdoctor.rdb.directory and analyse it there instead.");
                }
                out.write(buffer, 0, n);
            }
        }
        catch (RdbRejectedException | IOException e) {
            deleteQuietly(file);
            if (e instanceof IOException io && !(e instanceof java.nio.file.FileSystemException)) {
                throw RdbRejectedException.badRequest("the upload was interrupted: " + io.getMessage());
            }
            throw e;
        }
        if (total == 0) {
            deleteQuietly(file);
            throw RdbRejectedException.badRequest("the upload is empty: send the RDB file as the request body"
                    + " (application/octet-stream) or as the multipart part named \"file\"");
        }
        return total;
    }

    /**
     * Starts analysing a file of {@code memdoctor.rdb.directory}.
     *
     * @param name a path relative to the directory; nothing outside it (no {@code ..}, no absolute path, no
     *     symbolic link leading out)
     */
    public RdbRecord analyseFile(String name) {
        Path file = resolveInDirectory(name);
        try (InputStream in = Files.newInputStream(file)) {
            RdbParser.checkHeader(in);
        }
        catch (RdbFormatException e) {
            throw RdbRejectedException.badRequest(name + ": " + e.getMessage());
        }
        catch (IOException e) {
            throw RdbRejectedException.badRequest(name + " cannot be read: " + e.getClass().getSimpleName());
        }
        try {
            return start(new RdbAnalysis(UUID.randomUUID().toString(), name, file, false, Files.size(file),
                    clock.instant()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path resolveInDirectory(String name) {
        Path directory = properties.directory();
        if (directory == null) {
            throw new RdbRejectedException(HttpStatus.CONFLICT, "No RDB directory",
                    "memdoctor.rdb.directory is not set: upload the file instead");
        }
        if (name == null || name.isBlank() || name.length() > 1000 || name.indexOf('\0') >= 0) {
            throw RdbRejectedException.badRequest("give the file's path relative to memdoctor.rdb.directory");
        }
        Path relative = Path.of(name);
        if (relative.isAbsolute() || name.startsWith("/") || name.startsWith("\\")
                || Stream.of(name.split("[/\\\\]")).anyMatch(".."::equals)) {
            throw RdbRejectedException.badRequest("the path must be relative to memdoctor.rdb.directory, without ..");
        }
        try {
            Path root = directory.toRealPath();
            Path file = root.resolve(relative).normalize();
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new RdbRejectedException(HttpStatus.NOT_FOUND, "No such file",
                        "no file " + name + " in memdoctor.rdb.directory");
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root)) {
                throw RdbRejectedException.badRequest(name + " leads outside memdoctor.rdb.directory");
            }
            if (!Files.isRegularFile(real)) {
                throw RdbRejectedException.badRequest(name + " is not a regular file");
            }
            return real;
        }
        catch (IOException e) {
            throw RdbRejectedException.badRequest(name + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** The files of {@code memdoctor.rdb.directory} (first level), biggest first; empty when it is not set. */
    public List<DirectoryFile> files() {
        Path directory = properties.directory();
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile).limit(MAX_FILES_LISTED).map(p -> {
                try {
                    return new DirectoryFile(p.getFileName().toString(), Files.size(p));
                }
                catch (IOException e) {
                    return new DirectoryFile(p.getFileName().toString(), -1);
                }
            }).sorted(Comparator.comparing(DirectoryFile::name)).toList();
        }
        catch (IOException e) {
            return List.of();
        }
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
        return properties.directory() != null;
    }

    private RdbRecord start(RdbAnalysis analysis) {
        running.put(analysis.id(), analysis);
        executor.execute(() -> run(analysis));
        return analysis.view(clock.instant());
    }

    private void run(RdbAnalysis analysis) {
        RdbCollector collector = new RdbCollector(properties.topN(), properties.maxPatterns(), clock.millis());
        ScanStatus status = ScanStatus.DONE;
        String error = null;
        RdbParser parser = null;
        try (InputStream in = Files.newInputStream(analysis.file())) {
            parser = RdbParser.of(in, collector, analysis::cancelRequested);
            analysis.reading(parser);
            if (analysis.cancelRequested()) {
                throw new RdbCancelledException();
            }
            parser.parse();
        }
        catch (RdbCancelledException e) {
            status = ScanStatus.CANCELLED;
        }
        catch (RdbFormatException e) {
            status = ScanStatus.FAILED;
            error = e.getMessage();
        }
        catch (IOException | UncheckedIOException e) {
            status = ScanStatus.FAILED;
            error = "the file could not be read: " + e.getMessage();
        }
        catch (RuntimeException | OutOfMemoryError e) {
            log.warn("RDB analysis {} of {} failed", analysis.id(), analysis.source(), e);
            status = ScanStatus.FAILED;
            error = "the analysis failed (" + e.getClass().getSimpleName() + ") after " + collector.keys()
                    + " keys; the keys read until then are kept";
        }
        Instant now = clock.instant();
        long read = status == ScanStatus.DONE ? analysis.bytesTotal() : parser == null ? 0 : parser.bytesRead();
        RdbRecord record = new RdbRecord(analysis.id(), analysis.source(), status, analysis.startedAt(), now,
                analysis.bytesTotal(), read, collector.keys(), now.toEpochMilli() - analysis.startedAt().toEpochMilli(),
                error, collector.report());
        try {
            repository.insert(record);
            repository.trim(properties.keep());
        }
        catch (RuntimeException e) {
            log.warn("could not store RDB analysis {}", analysis.id(), e);
        }
        finally {
            running.remove(analysis.id());
            if (analysis.deleteAfter()) {
                deleteQuietly(analysis.file());
            }
            analysis.end();
        }
    }

    /** An analysis: live progress while it runs, its report once ended. */
    public RdbRecord get(String id) {
        RdbAnalysis analysis = running.get(validId(id));
        if (analysis != null) {
            return analysis.view(clock.instant());
        }
        return repository.find(id).orElseThrow(() -> new RdbNotFoundException(id));
    }

    /**
     * Cancels a running analysis and waits (briefly) until what it read is stored.
     *
     * @throws RdbRejectedException 409 when it has already ended
     */
    public RdbRecord cancel(String id) {
        RdbAnalysis analysis = running.get(validId(id));
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
        Instant now = clock.instant();
        List<RdbRecord> all = new ArrayList<>();
        running.values().stream().map(a -> a.view(now)).sorted(Comparator.comparing(RdbRecord::startedAt).reversed())
                .forEach(all::add);
        repository.list(LIST_LIMIT).stream().filter(r -> !running.containsKey(r.id())).forEach(all::add);
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
        if (otherId != null && ID.matcher(otherId).matches() && (running.containsKey(otherId)
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

    /** Uploads left by a dashboard that stopped while reading them: nothing will read them now. */
    @jakarta.annotation.PostConstruct
    void removeLeftUploads() {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (Stream<Path> left = Files.list(uploads)) {
            left.filter(p -> p.getFileName().toString().endsWith(".rdb")).forEach(RdbService::deleteQuietly);
        }
        catch (IOException e) {
            log.warn("could not clean {}", uploads);
        }
    }

    @PreDestroy
    void stop() {
        running.values().forEach(RdbAnalysis::cancel);
        executor.shutdownNow();
    }

    private static String validId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new RdbNotFoundException(id);
        }
        return id;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            log.warn("could not delete {}", file);
        }
    }
}
