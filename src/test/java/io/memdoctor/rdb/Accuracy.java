package io.memdoctor.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.memdoctor.rdb.format.RdbKey;
import io.memdoctor.rdb.format.RdbParser;

/** Estimated bytes of an RDB file's keys against MEMORY USAGE of the same keys on the server that wrote it. */
final class Accuracy {

    record Row(RdbDataset.Truth truth, RdbKey key) {
    }

    /** Per type (and per type/encoding): keys, truth bytes, estimated bytes. */
    record Totals(long keys, long truth, long estimate) {
        double error() {
            return truth == 0 ? 0 : (estimate - truth) / (double) truth;
        }

        Totals plus(long t, long e) {
            return new Totals(keys + 1, truth + t, estimate + e);
        }
    }

    final List<Row> rows = new ArrayList<>();
    final Map<String, Totals> byType = new TreeMap<>();
    final Map<String, Totals> byEncoding = new TreeMap<>();
    Totals total = new Totals(0, 0, 0);
    int missing;

    static Map<String, RdbKey> parse(Path file) {
        Map<String, RdbKey> keys = new HashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            RdbParser.of(in, k -> keys.put(k.db() + "/" + new String(k.name(), StandardCharsets.ISO_8859_1), k),
                    () -> false).parse();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    static Accuracy of(List<RdbDataset.Truth> truth, Map<String, RdbKey> keys) {
        Accuracy a = new Accuracy();
        for (RdbDataset.Truth t : truth) {
            RdbKey k = keys.get(t.db() + "/" + new String(t.key().getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.ISO_8859_1));
            if (k == null) {
                a.missing++;
                continue;
            }
            a.rows.add(new Row(t, k));
            a.total = a.total.plus(t.memoryUsage(), k.bytes());
            a.byType.merge(t.type(), new Totals(1, t.memoryUsage(), k.bytes()),
                    (x, y) -> new Totals(x.keys + y.keys, x.truth + y.truth, x.estimate + y.estimate));
            a.byEncoding.merge(t.type() + "/" + k.encoding(), new Totals(1, t.memoryUsage(), k.bytes()),
                    (x, y) -> new Totals(x.keys + y.keys, x.truth + y.truth, x.estimate + y.estimate));
        }
        return a;
    }

    /** Spearman's rank correlation over the {@code n} biggest keys by MEMORY USAGE. */
    double topRankCorrelation(int n) {
        List<Row> top = new ArrayList<>(rows);
        top.sort(Comparator.comparingLong((Row r) -> r.truth().memoryUsage()).reversed());
        top = top.subList(0, Math.min(n, top.size()));
        double[] x = ranks(top.stream().mapToLong(r -> r.truth().memoryUsage()).toArray());
        double[] y = ranks(top.stream().mapToLong(r -> r.key().bytes()).toArray());
        return pearson(x, y);
    }

    private static double[] ranks(long[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, Comparator.comparingLong(i -> v[i]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    private static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
