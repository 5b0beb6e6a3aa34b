package io.memdoctor.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.memdoctor.instances.RedisUrl;

/**
 * The one scrubber for text that comes from Redis or its drivers (error messages, reasons, fact values) before it
 * is stored, shown or logged: the instance's password (as typed and as URL-encoded) becomes {@code ***}, control
 * characters and line separators are escaped ({@code \r}, {@code \n}, {@code \t}, {@code \xHH}, or a backslash-u
 * escape) so that no reply can forge a log line, and the text is cut at {@link #MAX_LENGTH} characters.
 */
public final class RedisText {

    /** Longest text kept; a reason longer than this is cut, with an ellipsis. */
    public static final int MAX_LENGTH = 1000;

    private RedisText() {
    }

    /** The text with the URL's password hidden, control characters escaped and its length bounded. */
    public static String scrub(String text, RedisUrl url) {
        return text == null ? null : escape(hidePassword(text, url), MAX_LENGTH);
    }

    /**
     * The text with the URL's password hidden and nothing else changed: for values that are shown whole (INFO
     * text, MEMORY DOCTOR's report), where line breaks are content.
     */
    public static String hidePassword(String text, RedisUrl url) {
        String password = url == null ? null : url.password();
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        String hidden = text.replace(password, "***");
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
        return encoded.equals(password) ? hidden : hidden.replace(encoded, "***");
    }

    /** Control characters escaped, cut at {@code max} characters. */
    static String escape(String text, int max) {
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085';
            if (out == null && !control && i < max) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(Math.min(length, max) + 16).append(text, 0, i);
            }
            if (out.length() >= max) {
                out.append('…');
                break;
            }
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (control) {
                        out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
