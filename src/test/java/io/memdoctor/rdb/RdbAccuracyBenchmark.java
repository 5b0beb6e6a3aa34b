package io.memdoctor.rdb;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.memdoctor.rdb.format.RdbKey;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How close the RDB memory estimate comes to MEMORY USAGE SAMPLES 0, on every server build at hand: loads the
 * same varied data into each, takes the truth key by key, saves, analyses the file and prints a table.
 * Run with {@code ./mvnw -B -ntp -o test -Pbenchmark -Dtest=RdbAccuracyBenchmark}.
 */
@Tag("benchmark")
class RdbAccuracyBenchmark {

    private static final int SCALE = Integer.getInteger("rdb.scale", 4);

    @Test
    void estimateAgainstMemoryUsage() throws java.io.IOException {
        StringBuilder table = new StringBuilder();
        table.append("| server | keys | MEMORY USAGE sum | estimate | total error | worst type error | top-100 rank corr. |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder detail = new StringBuilder();
        for (RdbServer.Build build : RdbServer.available()) {
            try (RdbServer server = RdbServer.start(build); Resp r = server.client()) {
                RdbDataset.load(r, SCALE, 42);
                List<RdbDataset.Truth> truth = RdbDataset.truth(r);
                Path file = server.save();
                Map<String, RdbKey> keys = Accuracy.parse(file);
                Accuracy a = Accuracy.of(truth, keys);
                double worst = a.byType.values().stream().mapToDouble(t -> Math.abs(t.error())).max().orElse(0);
                table.append(String.format("| %s | %d | %,d | %,d | %+.1f %% | %.1f %% | %.3f |%n", build.label(),
                        a.total.keys(), a.total.truth(), a.total.estimate(), 100 * a.total.error(), 100 * worst,
                        a.topRankCorrelation(100)));
                detail.append("\n").append(build.label()).append(" (missing ").append(a.missing).append(")\n");
                a.byType.forEach((type, t) -> detail.append(String.format("  %-8s %6d keys  truth %,12d  est %,12d  %+6.1f %%%n",
                        type, t.keys(), t.truth(), t.estimate(), 100 * t.error())));
                a.byEncoding.forEach((enc, t) -> detail.append(String.format("    %-24s %6d keys  truth %,12d  est %,12d  %+6.1f %%%n",
                        enc, t.keys(), t.truth(), t.estimate(), 100 * t.error())));
                assertThat(a.missing).isZero();
                StringBuilder csv = new StringBuilder("db,key,type,encoding,elements,truth,estimate\n");
                for (Accuracy.Row row : a.rows) {
                    csv.append(row.truth().db()).append(',').append(row.truth().key().replace(',', '_')).append(',')
                            .append(row.truth().type()).append(',').append(row.key().encoding()).append(',')
                            .append(row.key().elements()).append(',').append(row.truth().memoryUsage()).append(',')
                            .append(row.key().bytes()).append('\n');
                }
                java.nio.file.Files.writeString(Path.of("target", "rdb-accuracy-" + build.label().replace(' ', '_')
                        + ".csv"), csv);
            }
        }
        System.out.println(table);
        System.out.println(detail);
    }
}
