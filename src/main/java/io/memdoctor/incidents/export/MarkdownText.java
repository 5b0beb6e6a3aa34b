package io.memdoctor.incidents.export;

/**
 * Text from Redis or from people (key names, notes, titles) made inert in Markdown, and still readable in the source
 * a postmortem author edits: the characters that start inline markup anywhere in a line (HTML and autolinks
 * {@code <}, entities {@code &}, links {@code [ ]}, emphasis {@code * _}, code {@code `}, strikethrough {@code ~},
 * table cells {@code |}, and the escape itself) are backslash-escaped, as CommonMark allows for all ASCII
 * punctuation; so is a first character that would start a block (a heading, a list, a quote). Line breaks are
 * flattened, so a key named {@code <img src=x onerror=alert(1)>} or {@code [x](javascript:...)} shows as text in
 * every renderer and a table row stays one row.
 */
final class MarkdownText {

    private static final String INLINE = "\\`*_[]<>&|~";
    private static final String BLOCK_START = "#+-=>";

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
                if (INLINE.indexOf(c) >= 0 || (i == 0 && BLOCK_START.indexOf(c) >= 0) || orderedListMark(text, i)) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The {@code .} or {@code )} of a leading {@code "1. "} / {@code "1) "}, which would start a numbered list. */
    private static boolean orderedListMark(String text, int at) {
        char c = text.charAt(at);
        if ((c != '.' && c != ')') || at == 0 || at > 9 || (at + 1 < text.length() && text.charAt(at + 1) != ' ')) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
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
