package io.memdoctor.incidents.export;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownTextTests {

    @Test
    void htmlLinksAndTableBreakersAreEscaped() {
        assertThat(MarkdownText.escape("<img src=x onerror=alert(1)>")).isEqualTo("\\<img src=x onerror=alert(1)\\>");
        assertThat(MarkdownText.escape("[x](javascript:alert(1))")).isEqualTo("\\[x\\](javascript:alert(1))");
        assertThat(MarkdownText.escape("a | b\nc")).isEqualTo("a \\| b c");
        assertThat(MarkdownText.escape("&lt; *bold* _it_ `code` ~~x~~ \\")).isEqualTo(
                "\\&lt; \\*bold\\* \\_it\\_ \\`code\\` \\~\\~x\\~\\~ \\\\");
        assertThat(MarkdownText.escape(null)).isEmpty();
    }

    @Test
    void readableTextStaysReadable() {
        assertThat(MarkdownText.escape("user:1001:feed")).isEqualTo("user:1001:feed");
        assertThat(MarkdownText.escape("redis-cli -h 10.0.0.5 -p 6379 INFO memory (then DBSIZE)"))
                .isEqualTo("redis-cli -h 10.0.0.5 -p 6379 INFO memory (then DBSIZE)");
    }

    @Test
    void aFirstCharacterThatWouldStartABlockIsEscaped() {
        assertThat(MarkdownText.escape("# not a heading")).isEqualTo("\\# not a heading");
        assertThat(MarkdownText.escape("- not a list")).isEqualTo("\\- not a list");
        assertThat(MarkdownText.escape("=HYPERLINK(1)")).isEqualTo("\\=HYPERLINK(1)");
        assertThat(MarkdownText.escape("12. not a list")).isEqualTo("12\\. not a list");
        assertThat(MarkdownText.escape("3) no")).isEqualTo("3\\) no");
        assertThat(MarkdownText.escape("1.5 MB")).isEqualTo("1.5 MB");
        assertThat(MarkdownText.escape("7.")).isEqualTo("7\\.");
        assertThat(MarkdownText.escape("a - b # c")).isEqualTo("a - b # c");
    }

    @Test
    void codeBlocksCannotBeClosedByTheirContent() {
        assertThat(MarkdownText.codeBlock("text", "plain")).isEqualTo("```text\nplain\n```\n");
        assertThat(MarkdownText.codeBlock("", "a ``` b")).isEqualTo("````\na ``` b\n````\n");
        assertThat(MarkdownText.codeBlock("", "x ````` y")).startsWith("``````\n").endsWith("\n``````\n");
    }
}
