package io.memdoctor.incidents.export;

/**
 * Text from Redis or from people (key names, notes, titles) made inert in Markdown: every character Markdown or
 * HTML gives a meaning is backslash-escaped (CommonMark allows it for all ASCII punctuation), and line breaks are
 * flattened, so a key named {@code <img src=x onerror=alert(1)>} or {@code [x](javascript:...)} shows as text in
 * every renderer and a table row stays one row.
 */
final class MarkdownText {

    private static final String SPECIAL = "\\`*_{}[]<>()#+-!|~&\"'=";

    private MarkdownText() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                out.append(' ');
            }
            else if (Character.isISOControl(c)) {
                out.append('\uFFFD');
            }
            else {
                if (SPECIAL.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A fenced code block: its content is literal in Markdown (HTML inside is shown, never run), and the fence is
     * longer than any run of backticks in it, so the content cannot close it.
     */
    static String codeBlock(String language, String content) {
        String body = content == null ? "" : content.replace("\r\n", "\n").replace('\r', '\n');
        int longest = 0;
        int run = 0;
        for (int i = 0; i < body.length(); i++) {
            run = body.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + language + "\n" + body + (body.endsWith("\n") ? "" : "\n") + fence + "\n";
    }
}
