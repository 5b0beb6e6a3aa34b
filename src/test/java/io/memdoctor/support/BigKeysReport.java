package io.memdoctor.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary of {@code redis-cli --bigkeys} or {@code --memkeys} (7.0 format, stdout not a TTY), parsed:
 * {@code Biggest   list found '"big:list"' has 200000 items} and
 * {@code 60106 lists with 1728115 items (06.01% of keys, avg size 28.75)}. Keys keep redis-cli's quoting
 * ({@code "name"}, escaped); 7.4+ drops the single quotes, which is accepted too.
 *
 * @param biggest per type, the biggest key as redis-cli prints it and its size (items or bytes)
 * @param totals per type, the number of keys and the sum of their sizes
 * @param sampled the "Sampled N keys" figure
 */
public record BigKeysReport(Map<String, Biggest> biggest, Map<String, Totals> totals, long sampled) {

    private static final Pattern BIGGEST = Pattern.compile("^Biggest\\s+(\\S+) found '?(\".*\")'? has (\\d+) \\S+$");
    private static final Pattern TOTALS = Pattern.compile("^(\\d+) (\\S+?)s with (\\d+) \\S+ \\(");
    private static final Pattern SAMPLED = Pattern.compile("^Sampled (\\d+) keys");

    /** @param key as printed, with quotes: {@code "user:1"} */
    public record Biggest(String key, long size) {
    }

    public record Totals(long keys, long size) {
    }

    public static BigKeysReport parse(String output) {
        Map<String, Biggest> biggest = new LinkedHashMap<>();
        Map<String, Totals> totals = new LinkedHashMap<>();
        long sampled = -1;
        boolean summary = false;
        for (String line : output.split("\n")) {
            line = line.strip();
            if (line.contains("summary")) {
                summary = true;
                continue;
            }
            if (!summary) {
                continue;
            }
            Matcher m = BIGGEST.matcher(line);
            if (m.matches()) {
                biggest.put(m.group(1), new Biggest(m.group(2), Long.parseLong(m.group(3))));
                continue;
            }
            m = TOTALS.matcher(line);
            if (m.find()) {
                totals.put(m.group(2), new Totals(Long.parseLong(m.group(1)), Long.parseLong(m.group(3))));
                continue;
            }
            m = SAMPLED.matcher(line);
            if (m.find()) {
                sampled = Long.parseLong(m.group(1));
            }
        }
        if (sampled < 0) {
            throw new IllegalArgumentException("not a redis-cli --bigkeys/--memkeys summary:\n" + output);
        }
        return new BigKeysReport(biggest, totals, sampled);
    }
}
