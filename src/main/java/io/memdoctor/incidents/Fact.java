package io.memdoctor.incidents;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One fact captured from Redis: its answer, or the reason it is missing. A managed Redis that renames or denies
 * MEMORY, CONFIG or SLOWLOG gives a refused fact, not a failed capture.
 *
 * @param command what was run, as typed in redis-cli ({@code MEMORY STATS})
 * @param refused true when Redis refused or did not answer
 * @param reason why it is missing, {@code null} when captured
 * @param value the answer: text, a number, a map or a list; {@code null} when refused
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Fact(String command, boolean refused, String reason, Object value) {

    public static Fact of(String command, Object value) {
        return new Fact(command, false, null, value);
    }

    public static Fact refused(String command, String reason) {
        return new Fact(command, true, reason, null);
    }
}
