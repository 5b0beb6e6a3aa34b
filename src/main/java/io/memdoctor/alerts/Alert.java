package io.memdoctor.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One alert of one rule on one instance; the JSON of {@code GET /api/alerts}.
 *
 * @param id stable id
 * @param rule the rule's id ({@code forecast-full}, ...)
 * @param instanceId the instance
 * @param state PENDING, FIRING or RESOLVED
 * @param severity CRITICAL, WARNING or INFO
 * @param startsAt when the condition began to hold
 * @param firedAt when it had held long enough to fire, {@code null} while pending
 * @param endsAt when it stopped holding, {@code null} while active
 * @param summary one line for people
 * @param values the sample values that fired it
 * @param acknowledgedBy who acknowledged it (repeats stop), or {@code null}
 * @param acknowledgedAt when
 * @param silenced whether a silence covers it now (no notifications)
 */
public record Alert(long id, String rule, String instanceId, AlertState state, Severity severity, Instant startsAt,
        Instant firedAt, Instant endsAt, String summary, Map<String, Object> values, String acknowledgedBy,
        Instant acknowledgedAt, boolean silenced) {

    public Alert {
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    Alert withState(AlertState newState, Instant firedAt, Instant endsAt) {
        return new Alert(id, rule, instanceId, newState, severity, startsAt, firedAt, endsAt, summary, values,
                acknowledgedBy, acknowledgedAt, silenced);
    }

    Alert withSilenced(boolean now) {
        return new Alert(id, rule, instanceId, state, severity, startsAt, firedAt, endsAt, summary, values,
                acknowledgedBy, acknowledgedAt, now);
    }

    public boolean active() {
        return state != AlertState.RESOLVED;
    }
}
