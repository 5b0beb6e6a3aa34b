package io.memdoctor.instances;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The instances under {@code memdoctor.instances}, written to the store at every start. Bound here rather than in
 * {@code config.MemDoctorProperties} so the shared settings do not depend on this feature's {@link RedisUrl}.
 *
 * @param instances the Redis instances to watch; with none, one named {@code local} at {@code redis://localhost:6379}
 */
@ConfigurationProperties("memdoctor")
public record ConfiguredInstances(List<Entry> instances) {

    public ConfiguredInstances {
        instances = (instances == null || instances.isEmpty())
                ? List.of(new Entry("local", RedisUrl.of("redis://localhost:6379")))
                : List.copyOf(instances);
    }

    /**
     * One configured instance. The URL's {@code toString} is redacted, so logging this record never leaks a password.
     *
     * @param name display name; the instance id is its slug
     * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} for TLS
     * @param tags {@code key:value} or plain words ({@code env:prod}, {@code team:search}); they replace the stored
     *     tags of this instance at every start
     * @param memoryLimit the memory limit of its container (or its budget on a shared host), {@code 1GB}, {@code 1Gi}
     *     or {@code 1G} as {@link MemoryLimit#parse} reads them: Redis cannot see it, so the dashboard measures memory
     *     against it (with maxmemory, the smaller of the two); it replaces the stored limit at every start
     */
    public record Entry(String name, RedisUrl url, List<String> tags, String memoryLimit) {

        // with a second constructor the binder needs to be told which one binds, or no instance is configured
        @ConstructorBinding
        public Entry {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        public Entry(String name, RedisUrl url, List<String> tags) {
            this(name, url, tags, null);
        }

        public Entry(String name, RedisUrl url) {
            this(name, url, List.of());
        }

        /**
         * The memory limit in bytes, {@code null} for none.
         *
         * @throws IllegalArgumentException for a size {@link MemoryLimit#parse} does not read
         */
        public Long memoryLimitBytes() {
            return MemoryLimit.parse(memoryLimit);
        }
    }
}
