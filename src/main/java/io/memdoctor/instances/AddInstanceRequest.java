package io.memdoctor.instances;

import java.util.List;

/**
 * Body of {@code POST /api/instances}; also bound from the add form.
 *
 * @param name display name, unique; the id is its slug
 * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
 * @param tags {@code key:value} or plain words ({@code ["env:prod", "team:search"]}); the form sends them as one
 *     field separated by commas
 * @param memoryLimit the memory limit of the instance's container (or its budget on a shared host) in bytes,
 *     {@code null} for none (see {@link MemoryLimit}); the form sends it as text ({@code 1GB}) in a field of its own
 */
public record AddInstanceRequest(String name, String url, List<String> tags, Long memoryLimit) {

    public AddInstanceRequest {
        tags = tags == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tags));
    }

    public AddInstanceRequest(String name, String url, List<String> tags) {
        this(name, url, tags, null);
    }

    public AddInstanceRequest(String name, String url) {
        this(name, url, List.of());
    }

    /** The tags as the form shows them. */
    public String tagsText() {
        return String.join(", ", tags);
    }

    /** The password-free form of this request, for logs and error messages. */
    @Override
    public String toString() {
        return "AddInstanceRequest[name=" + name + "]";
    }
}
