package io.memdoctor.incidents.web;

/**
 * A note for an incident's timeline, from the API or the page's form.
 *
 * @param at when it happened: empty for now, {@code 14:02}, or ISO-8601
 * @param zone the writer's time zone for a bare time (IANA id or offset), UTC when empty
 * @param author who writes it, optional
 * @param text what happened
 */
record NoteRequest(String at, String zone, String author, String text) {
}
