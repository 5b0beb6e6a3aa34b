package io.memdoctor.scans;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.memdoctor.scans.ScanComparison.Delta;
import io.memdoctor.scans.engine.ScanResults;
import io.memdoctor.scans.store.ScanRecord;

/** Builds a {@link ScanComparison} from two scans with results. Pure: no store, no Redis. */
public final class ScanComparer {

    private ScanComparer() {
    }

    public static ScanComparison compare(ScanRecord base, ScanRecord other) {
        ScanResults a = base.results();
        ScanResults b = other.results();
        boolean bytes = a.memoryUsageAvailable() && b.memoryUsageAvailable();

        ScanComparison.PatternChange total = pattern("(all keys)", bytes ? a.bytes() : null, a.keys(),
                bytes ? b.bytes() : null, b.keys(), bytes);

        Map<String, ScanResults.PatternEntry> patternsA = index(a.patterns(), ScanResults.PatternEntry::pattern);
        Map<String, ScanResults.PatternEntry> patternsB = index(b.patterns(), ScanResults.PatternEntry::pattern);
        List<ScanComparison.PatternChange> patterns = new ArrayList<>();
        for (String name : union(patternsA.keySet(), patternsB.keySet())) {
            ScanResults.PatternEntry pa = patternsA.get(name);
            ScanResults.PatternEntry pb = patternsB.get(name);
            patterns.add(pattern(name, pa == null || !bytes ? null : pa.bytes(), pa == null ? null : pa.keys(),
                    pb == null || !bytes ? null : pb.bytes(), pb == null ? null : pb.keys(), bytes));
        }
        patterns.sort(biggestChange(ScanComparison.PatternChange::bytes)
                .thenComparing(biggestChange(ScanComparison.PatternChange::keys)));

        // a key is its name in its database: an RDB file holds every database, and db 0's "user:1" is not db 3's
        Map<KeyName, ScanResults.KeyEntry> keysA = index(a.topKeys(), KeyName::of);
        Map<KeyName, ScanResults.KeyEntry> keysB = index(b.topKeys(), KeyName::of);
        List<ScanComparison.KeyChange> keys = new ArrayList<>();
        for (KeyName name : union(keysA.keySet(), keysB.keySet())) {
            ScanResults.KeyEntry ka = keysA.get(name);
            ScanResults.KeyEntry kb = keysB.get(name);
            Delta byteDelta = Delta.of(ka == null || !bytes ? null : ka.bytes(), kb == null || !bytes ? null : kb.bytes());
            Delta elements = Delta.of(ka == null ? null : ka.elements(), kb == null ? null : kb.elements());
            String type = kb != null ? kb.type() : ka.type();
            String trend = ka == null ? "new" : kb == null ? "gone" : trend(bytes ? byteDelta : null, elements);
            keys.add(new ScanComparison.KeyChange(name.key(), name.db(), type, byteDelta, elements, trend));
        }
        keys.sort(biggestChange(ScanComparison.KeyChange::bytes)
                .thenComparing(biggestChange(ScanComparison.KeyChange::elements)));

        List<ScanComparison.TypeChange> types = new ArrayList<>();
        for (String type : union(a.byType().keySet(), b.byType().keySet())) {
            ScanResults.TypeTotals ta = a.byType().get(type);
            ScanResults.TypeTotals tb = b.byType().get(type);
            types.add(new ScanComparison.TypeChange(type,
                    Delta.of(ta == null || !bytes ? null : ta.bytes(), tb == null || !bytes ? null : tb.bytes()),
                    Delta.of(ta == null ? 0L : ta.keys(), tb == null ? 0L : tb.keys()),
                    Delta.of(ta == null ? 0L : ta.elements(), tb == null ? 0L : tb.elements())));
        }
        types.sort(biggestChange(ScanComparison.TypeChange::bytes)
                .thenComparing(biggestChange(ScanComparison.TypeChange::keys)));

        return new ScanComparison(side(base), side(other), total, patterns, keys, types);
    }

    private static ScanComparison.PatternChange pattern(String name, Long bytesA, Long keysA, Long bytesB,
            Long keysB, boolean bytes) {
        Delta byteDelta = Delta.of(bytesA, bytesB);
        Delta keyDelta = Delta.of(keysA, keysB);
        String trend = keysA == null ? "new" : keysB == null ? "gone" : trend(bytes ? byteDelta : null, keyDelta);
        return new ScanComparison.PatternChange(name, byteDelta, keyDelta, trend);
    }

    /**
     * By bytes, and by the count when bytes did not move: MEMORY USAGE samples collections, so a list that gained
     * a few items can keep the same estimate.
     */
    private static String trend(Delta bytes, Delta count) {
        String byBytes = bytes == null ? "same" : ScanComparison.trend(bytes);
        return "same".equals(byBytes) ? ScanComparison.trend(count) : byBytes;
    }

    private static ScanComparison.Side side(ScanRecord scan) {
        return new ScanComparison.Side(scan.id(), scan.instanceId(), scan.status(), scan.startedAt(),
                scan.results().keys(), scan.results().bytes());
    }

    /**
     * Biggest absolute change first; rows entering or leaving rank by the size they have on their one side. Without
     * bytes (no MEMORY USAGE) every byte delta is empty and the count decides.
     */
    private static <T> Comparator<T> biggestChange(Function<T, Delta> delta) {
        return Comparator.comparingLong((T row) -> {
            Delta d = delta.apply(row);
            if (d.change() != null) {
                return Math.abs(d.change());
            }
            return d.before() != null ? d.before() : d.after() != null ? d.after() : 0;
        }).reversed();
    }

    private static <K, T> Map<K, T> index(List<T> rows, Function<T, K> key) {
        Map<K, T> map = new LinkedHashMap<>();
        for (T row : rows) {
            map.putIfAbsent(key.apply(row), row);
        }
        return map;
    }

    private static <K> Set<K> union(Set<K> a, Set<K> b) {
        Set<K> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** A key across two scans: not its node, since a cluster's key keeps its name when its slot moves. */
    private record KeyName(String key, Integer db) {

        static KeyName of(ScanResults.KeyEntry entry) {
            return new KeyName(entry.key(), entry.db());
        }
    }
}
