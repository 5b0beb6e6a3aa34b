package io.memdoctor.instances;

import java.util.Objects;

/**
 * A Redis that the dashboard watches.
 *
 * @param id slug of the name
 * @param name display name
 * @param url where it is (its {@code toString} is redacted)
 * @param source whether it came from configuration or was added at runtime
 */
public record Instance(InstanceId id, String name, RedisUrl url, Source source) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(source, "source");
    }

    /** Where an instance was defined. */
    public enum Source {
        /** {@code memdoctor.instances[N]}: written back to the store at every start. */
        CONFIG,
        /** Added from the page or the API. */
        RUNTIME
    }
}
