package io.memdoctor.rdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.memdoctor.rdb.format.RdbKey;
import io.memdoctor.rdb.format.RdbVisitor;
import io.memdoctor.scans.engine.KeyNames;
import io.memdoctor.scans.engine.PatternCollapser;
import io.memdoctor.scans.engine.ScanAccumulator;
import io.memdoctor.scans.engine.ScanParameters;

/**
 * Adds up the keys of a file into a {@link RdbReport} with the scan engine's accumulator, so the report has the
 * shape of a live scan's. Memory bounded by top-N and the pattern cap, not by the number of keys.
 *
 * <p>TTLs are taken as of the moment the file was written (its {@code ctime}), which is what a scan at that moment
 * would have seen; without {@code ctime}, as of {@code now}.
 */
final class RdbCollector implements RdbVisitor {

    private static final int MAX_FUNCTIONS = 100;

    private final ScanAccumulator accumulator;
    private final PatternCollapser patterns;
    private final long fallbackNowMillis;
    private final Map<String, String> aux = new LinkedHashMap<>();
    private final Map<Integer, long[]> databases = new TreeMap<>();
    private final List<String> functions = new ArrayList<>();
    private long snapshotMillis = -1;
    private int version;
    private long moduleAuxBytes;
    private long expiredAtSave;
    private long fieldsWithTtl;

    RdbCollector(int topN, int maxPatterns, long nowMillis) {
        ScanParameters parameters = ScanParameters.of(null, null, null, 0, topN, null, null);
        this.accumulator = new ScanAccumulator(parameters, maxPatterns);
        this.patterns = new PatternCollapser(parameters.delimiters());
        this.fallbackNowMillis = nowMillis;
    }

    @Override
    public void version(int version) {
        this.version = version;
    }

    @Override
    public void aux(String key, String value) {
        if (aux.size() < 64) {
            aux.put(key, value);
        }
        if ("ctime".equals(key)) {
            try {
                snapshotMillis = Long.parseLong(value.strip()) * 1000;
            }
            catch (NumberFormatException ignored) {
                // a broken ctime: TTLs are taken as of now
            }
        }
    }

    @Override
    public void function(String library, long bytes) {
        if (functions.size() < MAX_FUNCTIONS) {
            functions.add(library);
        }
    }

    @Override
    public void moduleAux(String module, long bytes) {
        moduleAuxBytes += bytes;
    }

    @Override
    public void key(RdbKey key) {
        String name = KeyNames.escape(key.name());
        long ttl = -1;
        if (key.expireAtMillis() >= 0) {
            long now = snapshotMillis >= 0 ? snapshotMillis : fallbackNowMillis;
            ttl = Math.max(0, key.expireAtMillis() - now);
            if (key.expireAtMillis() < now) {
                expiredAtSave++;
            }
        }
        accumulator.add(name, patterns.collapse(name), key.type(), key.bytes(), key.elements(), ttl, key.db());
        long[] db = databases.computeIfAbsent(key.db(), d -> new long[3]);
        db[0]++;
        db[1] += key.bytes();
        if (ttl >= 0) {
            db[2]++;
        }
        fieldsWithTtl += key.fieldsWithTtl();
    }

    long keys() {
        return accumulator.keys();
    }

    RdbReport report() {
        Map<Integer, RdbReport.Database> dbs = new LinkedHashMap<>();
        databases.forEach((db, v) -> dbs.put(db, new RdbReport.Database(v[0], v[1], v[2])));
        return new RdbReport(accumulator.results(), version, server(aux), new LinkedHashMap<>(aux), dbs, List.copyOf(functions),
                moduleAuxBytes, expiredAtSave, fieldsWithTtl);
    }

    static String server(Map<String, String> aux) {
        if (aux.containsKey("valkey-ver")) {
            return "valkey " + aux.get("valkey-ver");
        }
        return aux.containsKey("redis-ver") ? "redis " + aux.get("redis-ver") : null;
    }
}
