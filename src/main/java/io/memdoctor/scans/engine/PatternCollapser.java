package io.memdoctor.scans.engine;

import java.util.List;

/**
 * Turns a key name into its pattern: every segment between delimiters that looks like an id (a number, a UUID, a
 * hex digest, a long random token, a date, escaped binary) becomes {@code *}, so {@code user:1001:feed} and
 * {@code user:7:feed} both give {@code user:*:feed}. Every segment is looked at, not only the first, and several
 * delimiters may be used at once ({@code :}, {@code /}, {@code .}).
 *
 * <p>A word followed by a number of two digits or more ({@code shard12}, {@code user1001}) keeps the word:
 * {@code shard*}. Segments that are plain words stay, so distinct names (a key per feature flag, say) stay
 * distinct patterns; the pattern table caps how many it keeps.
 *
 * <p>Runs once per key on the scanning thread, so it is written as plain loops rather than regular expressions.
 */
public final class PatternCollapser {

    private static final int MAX_PATTERN_LENGTH = 200;
    private static final int MIN_HEX_LENGTH = 8;
    private static final int MIN_TOKEN_LENGTH = 16;

    private final String[] delimiters;
    /** Single-character delimiters, looked up by character; multi-character ones go through {@link #delimiters}. */
    private final boolean[] singleChar = new boolean[128];
    private final boolean onlySingleChars;

    /** @param delimiters the separators between segments, each 1 to 4 characters */
    public PatternCollapser(List<String> delimiters) {
        this.delimiters = delimiters.stream().filter(d -> !d.isEmpty()).toArray(String[]::new);
        boolean single = true;
        for (String d : this.delimiters) {
            if (d.length() == 1 && d.charAt(0) < 128) {
                singleChar[d.charAt(0)] = true;
            }
            else {
                single = false;
            }
        }
        this.onlySingleChars = single;
    }

    /** The pattern of an (escaped) key name. */
    public String collapse(String key) {
        StringBuilder out = null;
        int start = 0;
        int i = 0;
        int length = key.length();
        while (i < length) {
            int delimiter = delimiterAt(key, i);
            if (delimiter == 0) {
                i++;
                continue;
            }
            out = appendSegment(out, key, start, i);
            if (out != null) {
                out.append(key, i, i + delimiter);
            }
            i += delimiter;
            start = i;
        }
        out = appendSegment(out, key, start, length);
        String pattern = out == null ? key : out.toString();
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            // a pattern so long is itself a sign of a data blob in the name; cut it so the table stays small
            pattern = pattern.substring(0, MAX_PATTERN_LENGTH - 1) + "*";
        }
        return pattern;
    }

    private int delimiterAt(String key, int at) {
        char c = key.charAt(at);
        if (c < 128 && singleChar[c]) {
            return 1;
        }
        if (onlySingleChars) {
            return 0;
        }
        for (String d : delimiters) {
            if (d.length() > 1 && key.startsWith(d, at)) {
                return d.length();
            }
        }
        return 0;
    }

    /**
     * Appends the segment {@code [from, to)}, collapsed. Returns the builder, or {@code null} while the pattern is
     * still identical to the key (then nothing is copied until a segment changes).
     */
    private static StringBuilder appendSegment(StringBuilder out, String key, int from, int to) {
        if (from == to) {
            return out;
        }
        int kept = keptPrefix(key, from, to);
        if (kept == to - from) {
            if (out != null) {
                out.append(key, from, to);
            }
            return out;
        }
        if (out == null) {
            out = new StringBuilder(Math.min(key.length(), MAX_PATTERN_LENGTH + 16));
            out.append(key, 0, from);
        }
        return out.append(key, from, from + kept).append('*');
    }

    /**
     * How much of a segment stays: all of it for a name, none for an id, the word for a word followed by a number.
     * Public for the incident exports, which hash the id-like rest of each segment instead of collapsing it.
     */
    public static int keptPrefix(String s, int from, int to) {
        int length = to - from;
        int digits = 0;
        int letters = 0;
        int hex = 0;
        int upper = 0;
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                hex++;
            }
            else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                letters++;
                hex++;
                upper += c <= 'F' ? 1 : 0;
            }
            else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
                letters++;
                upper += c <= 'Z' ? 1 : 0;
            }
            else if (c == '\\' && i + 1 < to && s.charAt(i + 1) == 'x') {
                escaped = true;
            }
        }
        if (escaped) {
            return 0;
        }
        if (digits == 0) {
            // every id shape has a digit: plain words, the bulk of segments, stay as they are
            return length;
        }
        if (numberLike(s, from, to) || (hex == length && length >= MIN_HEX_LENGTH) || isUuid(s, from, to)) {
            return 0;
        }
        // random tokens (session ids, base64) have several digits or mixed case; "feature_flag_v2_enabled" has not
        boolean random = digits >= 3 || (upper > 0 && upper < letters);
        if (length >= MIN_TOKEN_LENGTH && letters > 0 && random && isTokenChars(s, from, to)) {
            return 0;
        }
        int word = wordThenNumber(s, from, to);
        return word > 0 ? word : length;
    }

    /** Digits with number and date punctuation: 42, -7, 3.14, 2024-01-31, 2024-01-31T10:00:00Z. */
    private static boolean numberLike(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == '_' || c == ','
                    || c == ':' || c == 'T' || c == 'Z';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUuid(String s, int from, int to) {
        int start = from;
        int end = to;
        if (end - start == 38 && s.charAt(start) == '{' && s.charAt(end - 1) == '}') {
            start++;
            end--;
        }
        if (end - start != 36) {
            return false;
        }
        for (int i = start; i < end; i++) {
            int offset = i - start;
            char c = s.charAt(i);
            boolean dash = offset == 8 || offset == 13 || offset == 18 || offset == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChars(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                    || c == '-' || c == '+' || c == '/' || c == '=' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Length of the word in "word then 2+ digits" ({@code shard12}, {@code user_1001}), else 0. */
    private static int wordThenNumber(String s, int from, int to) {
        int i = to;
        while (i > from && Character.isDigit(s.charAt(i - 1))) {
            i--;
        }
        if (to - i < 2 || i == from) {
            return 0;
        }
        for (int j = from; j < i; j++) {
            char c = s.charAt(j);
            if (!Character.isLetter(c) && c != '_' && c != '-') {
                return 0;
            }
        }
        return Character.isLetter(s.charAt(from)) ? i - from : 0;
    }
}
