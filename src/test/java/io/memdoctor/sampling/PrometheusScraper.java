package io.memdoctor.sampling;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * GETs {@code /actuator/prometheus} at a fixed period, as a Prometheus 2.x server scrapes a target: its Accept and
 * Accept-Encoding headers, one scrape at a time (a slow scrape delays the next, never overlaps it), a timeout of 10 s.
 * Each scrape is recorded with its duration (request sent to body read), the body's size as sent and its series count
 * (lines that are not comments).
 */
final class PrometheusScraper implements AutoCloseable {

    /* what Prometheus 2.42 (the one in /usr/bin, used by the alert tests) sends */
    static final String ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    record Scrape(Instant at, double millis, int status, long bytes, long series, String error) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "prometheus-scraper");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Scrape> scrapes = new CopyOnWriteArrayList<>();
    private final URI target;

    private PrometheusScraper(URI target) {
        this.target = target;
    }

    /** Starts scraping {@code target} now and every {@code period} after. */
    static PrometheusScraper start(URI target, Duration period) {
        PrometheusScraper scraper = new PrometheusScraper(target);
        scraper.timer.scheduleAtFixedRate(scraper::scrape, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return scraper;
    }

    private void scrape() {
        Instant at = Instant.now();
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Accept", ACCEPT).header("Accept-Encoding", "gzip")
                    .header("User-Agent", "Prometheus/2.42.0")
                    .header("X-Prometheus-Scrape-Timeout-Seconds", "10").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            double millis = (System.nanoTime() - start) / 1e6;
            byte[] body = response.body();
            String text = new String(gzipped(response) ? gunzip(body) : body, StandardCharsets.UTF_8);
            long series = text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).count();
            scrapes.add(new Scrape(at, millis, response.statusCode(), body.length, series, null));
        }
        catch (IOException | RuntimeException ex) {
            scrapes.add(new Scrape(at, (System.nanoTime() - start) / 1e6, 0, 0, 0, ex.toString()));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean gzipped(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Encoding").filter("gzip"::equalsIgnoreCase).isPresent();
    }

    private static byte[] gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The scrapes that started in {@code [from, to)}. */
    List<Scrape> between(Instant from, Instant to) {
        return scrapes.stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(to)).toList();
    }

    List<Scrape> all() {
        return List.copyOf(scrapes);
    }

    /** Stops scraping; a scrape under way is let finish. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(15, TimeUnit.SECONDS);
    }

    /** Count, median and max duration, max body and the last one's series of some scrapes. */
    record Summary(int count, int failed, double medianMillis, double maxMillis, long lastBytes, long maxBytes,
            long lastSeries) {

        static Summary of(List<Scrape> scrapes) {
            List<Scrape> ok = scrapes.stream().filter(s -> s.status() == 200).toList();
            double[] millis = ok.stream().mapToDouble(Scrape::millis).sorted().toArray();
            double median = millis.length == 0 ? Double.NaN : millis.length % 2 == 1 ? millis[millis.length / 2]
                    : (millis[millis.length / 2 - 1] + millis[millis.length / 2]) / 2;
            Scrape last = ok.isEmpty() ? null : ok.get(ok.size() - 1);
            return new Summary(scrapes.size(), scrapes.size() - ok.size(), median,
                    millis.length == 0 ? Double.NaN : millis[millis.length - 1], last == null ? 0 : last.bytes(),
                    ok.stream().mapToLong(Scrape::bytes).max().orElse(0), last == null ? 0 : last.series());
        }

        @Override
        public String toString() {
            return String.format("%d scrapes (%d failed), duration median %.0f ms max %.0f ms, body %,d bytes"
                    + " (max %,d), %,d series in the last", count, failed, medianMillis, maxMillis, lastBytes,
                    maxBytes, lastSeries);
        }
    }
}
