package io.memdoctor.incidents.web;

import java.time.Instant;

import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.store.IncidentRepository;

/**
 * An incident in a list.
 *
 * @param id its id
 * @param title its title
 * @param instanceId the instance it was captured on
 * @param instanceName that instance's name
 * @param capturedAt when
 * @param verdict the diagnosis' verdict at capture time
 * @param notes how many notes its timeline has
 * @param imported whether it is a read-only import
 * @param source where an import came from
 */
record IncidentSummary(String id, String title, String instanceId, String instanceName, Instant capturedAt,
        String verdict, int notes, boolean imported, String source) {

    static IncidentSummary of(IncidentRepository.Listed listed) {
        Incident i = listed.incident();
        return new IncidentSummary(i.id(), i.title(), i.instanceId(), i.instanceName(), i.capturedAt(),
                listed.verdict(), listed.notes(), i.imported(), i.source());
    }
}
