package io.memdoctor.scans.engine;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a key name into its pattern: every segment between delimiters that looks like an id (a number, a UUID, a
 * hex digest, a long random token, a date, escaped binary) becomes {@code *}, so {@code user:1001:feed} and
 * {@code user:7:feed} both give {@code user:*:feed}. Every segment is looked at, not only the first, and several
 * delimiters may be used at once ({@code :}, {@code /}, {@code .}).
 *
 * <p>A word followed by a number ({@code shard12}, {@code user1001}) keeps the word: {@code shard*}. Segments
 * that are plain words stay, so distinct names (a key per feature flag, say) stay distinct patterns; the pattern
 * table caps how many it keeps.
 */
public final class PatternCollapser {

    private static final Pattern NUMBER_LIKE = Pattern.compile("[-+]?[0-9][0-9_.,:+\\-TZ]*");
    private static final Pattern UUID = Pattern.compile(
            "\\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}}?");
    private static final Pattern HEX = Pattern.compile("(0x)?[0-9a-fA-F]{8,}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-+/=~]{16,}");
    private static final Pattern WORD_THEN_NUMBER = Pattern.compile("([A-Za-z_\\-]*[A-Za-z][_\\-]?)[0-9]{2,}");
    private static final int MAX_PATTERN_LENGTH = 200;

    private final String[] delimiters;

    /** @param delimiters the separators between segments, each 1 to 4 characters */
    public PatternCollapser(List<String> delimiters) {
        this.delimiters = delimiters.stream().filter(d -> !d.isEmpty()).toArray(String[]::new);
    }

    /** The pattern of an (escaped) key name. */
    public String collapse(String key) {
        StringBuilder out = new StringBuilder(Math.min(key.length(), MAX_PATTERN_LENGTH));
        int start = 0;
        int i = 0;
        while (i < key.length()) {
            int delimiter = delimiterAt(key, i);
            if (delimiter > 0) {
                appendSegment(out, key, start, i);
                out.append(key, i, i + delimiter);
                i += delimiter;
                start = i;
            }
            else {
                i++;
            }
        }
        appendSegment(out, key, start, key.length());
        if (out.length() > MAX_PATTERN_LENGTH) {
            // a pattern so long is itself a sign of a data blob in the name; cut it so the table stays small
            out.setLength(MAX_PATTERN_LENGTH - 1);
            out.append('*');
        }
        return out.toString();
    }

    private int delimiterAt(String key, int at) {
        for (String d : delimiters) {
            if (key.startsWith(d, at)) {
                return d.length();
            }
        }
        return 0;
    }

    private static void appendSegment(StringBuilder out, String key, int from, int to) {
        if (from == to) {
            return;
        }
        String segment = key.substring(from, to);
        if (isIdLike(segment)) {
            out.append('*');
            return;
        }
        var wordThenNumber = WORD_THEN_NUMBER.matcher(segment);
        if (hasDigit(segment) && wordThenNumber.matches()) {
            out.append(wordThenNumber.group(1)).append('*');
            return;
        }
        out.append(segment);
    }

    /** Whether a segment is an id rather than a name. */
    static boolean isIdLike(String segment) {
        if (segment.contains("\\x")) {
            return true;
        }
        if (!hasDigit(segment)) {
            // every id shape below has a digit: plain words, the bulk of segments, skip the regexes
            return false;
        }
        if (NUMBER_LIKE.matcher(segment).matches() || UUID.matcher(segment).matches()) {
            return true;
        }
        if (HEX.matcher(segment).matches()) {
            return true;
        }
        // long tokens (session ids, base64 digests) mix letters and digits; a long plain word does not
        return TOKEN.matcher(segment).matches() && hasLetter(segment);
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
