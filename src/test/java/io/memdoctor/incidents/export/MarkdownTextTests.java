package io.memdoctor.incidents.export;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownTextTests {

    @Test
    void htmlLinksAndTableBreakersAreEscaped() {
        assertThat(MarkdownText.escape("<img src=x onerror=alert(1)>"))
                .isEqualTo("\\<img src\\=x onerror\\=alert\\(1\\)\\>");
        assertThat(MarkdownText.escape("[x](javascript:alert(1))")).isEqualTo("\\[x\\]\\(javascript:alert\\(1\\)\\)");
        assertThat(MarkdownText.escape("a | b\nc")).isEqualTo("a \\| b c");
        assertThat(MarkdownText.escape("&lt;")).isEqualTo("\\&lt;");
        assertThat(MarkdownText.escape("user:1001:feed")).isEqualTo("user:1001:feed");
        assertThat(MarkdownText.escape(null)).isEmpty();
    }

    @Test
    void codeBlocksCannotBeClosedByTheirContent() {
        assertThat(MarkdownText.codeBlock("text", "plain")).isEqualTo("```text\nplain\n```\n");
        assertThat(MarkdownText.codeBlock("", "a ``` b")).isEqualTo("````\na ``` b\n````\n");
        assertThat(MarkdownText.codeBlock("", "x ````` y")).startsWith("``````\n").endsWith("\n``````\n");
    }
}
