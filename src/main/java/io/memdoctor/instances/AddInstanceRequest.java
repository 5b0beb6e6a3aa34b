package io.memdoctor.instances;

/**
 * Body of {@code POST /api/instances}; also bound from the add form.
 *
 * @param name display name, unique; the id is its slug
 * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}
 */
public record AddInstanceRequest(String name, String url) {

    /** The password-free form of this request, for logs and error messages. */
    @Override
    public String toString() {
        return "AddInstanceRequest[name=" + name + "]";
    }
}
