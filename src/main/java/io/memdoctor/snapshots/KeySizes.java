package io.memdoctor.snapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key-size histograms of {@code INFO keysizes} (Redis 8+): per type, how many keys fall in each power-of-two
 * bucket of size (bytes for strings, elements for the others), summed over databases. A size profile of the whole
 * keyspace without a scan. Lines look like {@code db0_distrib_strings_sizes:2=1,4=3,1K=2,1M=1}; a bucket {@code 4}
 * holds sizes 4 to 7. Servers without the section give {@link #present()} false, and nothing is shown.
 *
 * @param types one histogram per type that has keys, in the order strings, lists, sets, sorted sets, hashes, then
 *     any other the server reports
 */
public record KeySizes(List<TypeHistogram> types) {

    private static final List<String> ORDER = List.of("strings", "lists", "sets", "zsets", "hashes");

    public KeySizes {
        types = List.copyOf(types);
    }

    /**
     * One type's histogram.
     *
     * @param type the INFO name ({@code strings}, {@code lists}, {@code zsets}...)
     * @param measure what a bucket counts: {@code bytes} (strings) or {@code items}
     * @param buckets non-empty buckets, smallest first
     * @param keys keys of this type over all buckets
     */
    public record TypeHistogram(String type, String measure, List<Bucket> buckets, long keys) {

        public TypeHistogram {
            buckets = List.copyOf(buckets);
        }

        /** The label a page shows: "strings (bytes)", "sorted sets (items)". */
        public String label() {
            return (type.equals("zsets") ? "sorted sets" : type) + " (" + measure + ")";
        }
    }

    /**
     * One power-of-two bucket.
     *
     * @param from the smallest size it holds (the bucket's name as a number: {@code 1K} is 1024)
     * @param label the server's name for it ({@code 1K})
     * @param keys how many keys
     * @param share keys of the type in it, 0 to 1
     */
    public record Bucket(long from, String label, long keys, double share) {
    }

    public boolean present() {
        return !types.isEmpty();
    }

    /** The histograms in an INFO text (all sections or only {@code keysizes}); none when the server has none. */
    public static KeySizes parse(String info) {
        Map<String, String> measures = new TreeMap<>();
        Map<String, TreeMap<Long, long[]>> counts = new TreeMap<>();
        Map<Long, String> labels = new TreeMap<>();
        for (String raw : info == null ? new String[0] : info.split("\n")) {
            String line = raw.strip();
            int colon = line.indexOf(':');
            int distrib = line.indexOf("_distrib_");
            if (colon < 0 || distrib < 0 || distrib > colon || !line.substring(0, distrib).matches("db\\d+")) {
                continue;
            }
            String name = line.substring(distrib + "_distrib_".length(), colon);
            int under = name.lastIndexOf('_');
            if (under <= 0) {
                continue;
            }
            String type = name.substring(0, under);
            measures.put(type, name.substring(under + 1).equals("sizes") ? "bytes" : "items");
            TreeMap<Long, long[]> buckets = counts.computeIfAbsent(type, t -> new TreeMap<>());
            for (String pair : line.substring(colon + 1).split(",")) {
                int eq = pair.indexOf('=');
                Long from = eq > 0 ? size(pair.substring(0, eq)) : null;
                Long keys = eq > 0 ? number(pair.substring(eq + 1)) : null;
                if (from != null && keys != null && keys > 0) {
                    buckets.computeIfAbsent(from, f -> new long[1])[0] += keys;
                    labels.putIfAbsent(from, pair.substring(0, eq));
                }
            }
        }
        List<String> order = new ArrayList<>(ORDER);
        counts.keySet().stream().filter(t -> !order.contains(t)).forEach(order::add);
        List<TypeHistogram> types = new ArrayList<>();
        for (String type : order) {
            TreeMap<Long, long[]> buckets = counts.get(type);
            if (buckets == null || buckets.isEmpty()) {
                continue;
            }
            long total = buckets.values().stream().mapToLong(c -> c[0]).sum();
            List<Bucket> out = new ArrayList<>();
            buckets.forEach((from, keys) -> out.add(new Bucket(from, labels.get(from), keys[0], (double) keys[0] / total)));
            types.add(new TypeHistogram(type, measures.get(type), out, total));
        }
        return new KeySizes(types);
    }

    /** {@code 512}, {@code 1K}, {@code 4M}, {@code 2G}, {@code 1T}, {@code 1P} as a number; {@code null} if not one. */
    static Long size(String label) {
        if (label.isEmpty()) {
            return null;
        }
        int shift = switch (label.charAt(label.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            default -> 0;
        };
        Long base = number(shift == 0 ? label : label.substring(0, label.length() - 1));
        return base == null || base < 0 || base > (Long.MAX_VALUE >> shift) ? null : base << shift;
    }

    private static Long number(String text) {
        try {
            return Long.parseLong(text.strip());
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }
}
