package io.memdoctor.instances;

import java.util.List;

/**
 * Body of {@code PUT /api/instances/{id}/tags}: the instance's new tags, replacing the old ones.
 *
 * @param tags {@code key:value} or plain words; an empty list removes every tag
 */
public record TagsRequest(List<String> tags) {

    public TagsRequest {
        tags = tags == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tags));
    }
}
