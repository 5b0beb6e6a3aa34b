package io.memdoctor.alerts;

import java.util.Map;

/**
 * A rule's condition holds: what to say and the values that decided it.
 *
 * @param summary one line for people
 * @param values the figures, by name (bytes, ratios, counts), kept with the alert
 */
record Condition(String summary, Map<String, Object> values) {
}
