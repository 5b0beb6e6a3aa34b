package io.memdoctor.scans.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One report from the results of several nodes (the shards of a cluster): counts and totals add up, the top keys
 * are the biggest of every node's top keys (each marked with its node), the biggest key per type is the biggest
 * over the nodes, patterns add up by name (capped as one scan caps them) and TTL buckets add up. Pure: the parts
 * were measured by their own {@link ScanAccumulator}s, each on its own thread.
 */
public final class ScanResultsMerger {

    /**
     * One node's results.
     *
     * @param node {@code host:port}
     * @param results what its scan found
     */
    public record Part(String node, ScanResults results) {
    }

    private ScanResultsMerger() {
    }

    /**
     * @param parts the nodes' results, in node order (a tie between two keys goes to the earlier node)
     * @param topN top keys kept
     * @param maxPatterns patterns kept; the rest go to one {@link ScanResults#OTHER_PATTERN} row
     */
    public static ScanResults merge(List<Part> parts, int topN, int maxPatterns) {
        long keys = 0;
        long vanished = 0;
        long unreadable = 0;
        long bytes = 0;
        long keysWithTtl = 0;
        boolean withBytes = true;
        String note = null;
        List<ScanResults.KeyEntry> top = new ArrayList<>();
        for (Part part : parts) {
            ScanResults r = part.results();
            keys += r.keys();
            vanished += r.keysVanished();
            unreadable += r.keysUnreadable();
            keysWithTtl += r.keysWithTtl();
            bytes += r.bytes() == null ? 0 : r.bytes();
            if (!r.memoryUsageAvailable()) {
                withBytes = false;
                note = note != null ? note : part.node() + ": " + r.note();
            }
            r.topKeys().forEach(k -> top.add(k.onNode(part.node())));
        }
        boolean bytesKnown = withBytes;
        // stable sort: among equals, the earlier node's key (and within a node, its own order) stays first
        top.sort(Comparator.comparingLong((ScanResults.KeyEntry k) -> rank(k, bytesKnown)).reversed());
        return new ScanResults(keys, vanished, unreadable, withBytes ? bytes : null, keysWithTtl, withBytes, note,
                List.copyOf(top.subList(0, Math.min(topN, top.size()))), biggest(parts, withBytes),
                byType(parts, withBytes), patterns(parts, withBytes, maxPatterns), ttl(parts, withBytes));
    }

    private static long rank(ScanResults.KeyEntry key, boolean withBytes) {
        Long size = withBytes ? key.bytes() : key.elements();
        return size == null ? -1 : size;
    }

    private static Map<String, ScanResults.Biggest> biggest(List<Part> parts, boolean withBytes) {
        Map<String, ScanResults.KeyEntry> mostElements = new LinkedHashMap<>();
        Map<String, ScanResults.KeyEntry> mostBytes = new LinkedHashMap<>();
        for (Part part : parts) {
            part.results().biggestByType().forEach((type, b) -> {
                // strictly greater: the first node keeps a tie, as within one scan
                if (b.mostElements() != null) {
                    mostElements.merge(type, b.mostElements().onNode(part.node()),
                            (was, now) -> size(now.elements()) > size(was.elements()) ? now : was);
                }
                else {
                    mostElements.putIfAbsent(type, null);
                }
                if (withBytes && b.mostBytes() != null) {
                    mostBytes.merge(type, b.mostBytes().onNode(part.node()),
                            (was, now) -> size(now.bytes()) > size(was.bytes()) ? now : was);
                }
            });
        }
        Map<String, ScanResults.Biggest> out = new LinkedHashMap<>();
        mostElements.forEach((type, e) -> out.put(type, new ScanResults.Biggest(e, mostBytes.get(type))));
        return out;
    }

    private static long size(Long value) {
        return value == null ? -1 : value;
    }

    private static Map<String, ScanResults.TypeTotals> byType(List<Part> parts, boolean withBytes) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (Part part : parts) {
            part.results().byType().forEach((type, t) -> {
                long[] s = sums.computeIfAbsent(type, x -> new long[3]);
                s[0] += t.keys();
                s[1] += t.bytes() == null ? 0 : t.bytes();
                s[2] += t.elements();
            });
        }
        Map<String, ScanResults.TypeTotals> out = new LinkedHashMap<>();
        sums.forEach((type, s) -> out.put(type, new ScanResults.TypeTotals(s[0], withBytes ? s[1] : null, s[2])));
        return out;
    }

    private static List<ScanResults.PatternEntry> patterns(List<Part> parts, boolean withBytes, int maxPatterns) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        long[] other = new long[3];
        for (Part part : parts) {
            for (ScanResults.PatternEntry p : part.results().patterns()) {
                long[] s = ScanResults.OTHER_PATTERN.equals(p.pattern()) ? other
                        : sums.computeIfAbsent(p.pattern(), x -> new long[3]);
                s[0] += p.keys();
                s[1] += p.bytes() == null ? 0 : p.bytes();
                s[2] += p.keysWithTtl();
            }
        }
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(sums.entrySet());
        int measure = withBytes ? 1 : 0;
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[measure]).reversed()
                .thenComparing(Map.Entry::getKey));
        for (Map.Entry<String, long[]> beyond : sorted.subList(Math.min(maxPatterns, sorted.size()), sorted.size())) {
            for (int i = 0; i < 3; i++) {
                other[i] += beyond.getValue()[i];
            }
        }
        List<Map.Entry<String, long[]>> kept = sorted.subList(0, Math.min(maxPatterns, sorted.size()));
        long total = other[measure];
        for (Map.Entry<String, long[]> e : kept) {
            total += e.getValue()[measure];
        }
        List<ScanResults.PatternEntry> out = new ArrayList<>(kept.size() + 1);
        for (Map.Entry<String, long[]> e : kept) {
            out.add(pattern(e.getKey(), e.getValue(), withBytes, measure, total));
        }
        if (other[0] > 0) {
            out.add(pattern(ScanResults.OTHER_PATTERN, other, withBytes, measure, total));
        }
        return out;
    }

    private static ScanResults.PatternEntry pattern(String name, long[] s, boolean withBytes, int measure,
            long total) {
        return new ScanResults.PatternEntry(name, s[0], withBytes ? s[1] : null, s[2],
                total == 0 ? 0 : (double) s[measure] / total);
    }

    private static List<ScanResults.TtlBucket> ttl(List<Part> parts, boolean withBytes) {
        List<ScanResults.TtlBucket> first = parts.isEmpty() ? new TtlHistogram().buckets(withBytes)
                : parts.get(0).results().ttl();
        List<ScanResults.TtlBucket> out = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            long keys = 0;
            long bytes = 0;
            for (Part part : parts) {
                ScanResults.TtlBucket b = part.results().ttl().get(i);
                keys += b.keys();
                bytes += b.bytes() == null ? 0 : b.bytes();
            }
            ScanResults.TtlBucket b = first.get(i);
            out.add(new ScanResults.TtlBucket(b.bucket(), b.label(), keys, withBytes ? bytes : null));
        }
        return out;
    }
}
