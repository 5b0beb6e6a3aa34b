package io.memdoctor.incidents;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of an incident's timeline ("14:02 deploy 4.2 rolled out").
 *
 * @param at when it happened (not when it was written)
 * @param author who wrote it, {@code null} when not given
 * @param text what happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentNote(Instant at, String author, String text) {
}
