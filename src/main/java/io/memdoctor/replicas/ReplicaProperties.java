package io.memdoctor.replicas;

import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code memdoctor.replicas}: several dashboard processes sharing one PostgreSQL database.
 *
 * @param enabled whether this process shares its store with other replicas: each instance is then sampled by the
 *     replica that holds its lease, ticks fall on multiples of the sampling interval, and login sessions live in the
 *     database
 * @param id this replica's name in leases and locks; a random one per start when not set
 */
@ConfigurationProperties("memdoctor.replicas")
public record ReplicaProperties(@DefaultValue("false") boolean enabled, String id) {

    public ReplicaProperties {
        if (id == null || id.isBlank()) {
            id = "replica-" + UUID.randomUUID().toString().substring(0, 8);
        }
        if (id.length() > 100) {
            throw new IllegalArgumentException("memdoctor.replicas.id may be at most 100 characters");
        }
    }
}
