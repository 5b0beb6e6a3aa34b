package io.memdoctor.checks;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code CONFIG GET} answered, or why it did not. Managed services rename CONFIG and ACLs may deny it, so the
 * checks that need a setting must cope with its absence.
 *
 * @param values setting name to value, as Redis spells them
 * @param unavailableReason why there are no values; {@code null} when CONFIG GET answered
 */
record RedisSettings(Map<String, String> values, String unavailableReason) {

    RedisSettings {
        values = Map.copyOf(values);
    }

    static RedisSettings of(Map<String, String> values) {
        return new RedisSettings(values, null);
    }

    static RedisSettings unavailable(String reason) {
        return new RedisSettings(Map.of(), reason);
    }

    boolean available() {
        return unavailableReason == null;
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }
}
