package io.memdoctor.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import io.memdoctor.config.DaemonThreads;
import io.memdoctor.rdb.format.RdbCancelledException;
import io.memdoctor.rdb.format.RdbFormatException;
import io.memdoctor.rdb.format.RdbParser;
import io.memdoctor.scans.engine.ScanStatus;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads the files, one at a time on a background thread at low priority (others wait their turn, shown RUNNING at
 * 0 bytes), and stores each report when it ends, whatever the end: done, cancelled or failed with what it had read.
 */
@Component
class RdbReader {

    private static final Logger log = LoggerFactory.getLogger(RdbReader.class);

    private final RdbProperties properties;
    private final RdbRepository repository;
    private final Clock clock;
    private final Map<String, RdbAnalysis> running = new ConcurrentHashMap<>();
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(DaemonThreads.named("rdb-analysis", Thread.MIN_PRIORITY));

    RdbReader(RdbProperties properties, RdbRepository repository, Clock clock) {
        this.properties = properties;
        this.repository = repository;
        this.clock = clock;
    }

    RdbRecord start(RdbAnalysis analysis) {
        running.put(analysis.id(), analysis);
        executor.execute(() -> run(analysis));
        return analysis.view(clock.instant());
    }

    Optional<RdbAnalysis> running(String id) {
        return Optional.ofNullable(running.get(id));
    }

    /** The running analyses, newest first. */
    Stream<RdbRecord> runningViews() {
        Instant now = clock.instant();
        return running.values().stream().map(a -> a.view(now))
                .sorted(Comparator.comparing(RdbRecord::startedAt).reversed());
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
                RdbFiles.deleteQuietly(analysis.file());
            }
            analysis.end();
        }
    }

    @PreDestroy
    void stop() {
        running.values().forEach(RdbAnalysis::cancel);
        executor.shutdownNow();
    }
}
