package io.memdoctor.alerts;

import java.time.Instant;

/**
 * No notifications for one alert or for every alert of an instance until {@code endsAt}.
 *
 * @param id stable id
 * @param instanceId the instance silenced, or {@code null} when one alert is
 * @param alertId the alert silenced, or {@code null} when a whole instance is
 * @param startsAt when it was made
 * @param endsAt when it ends
 * @param reason why, as typed
 * @param createdBy who made it
 */
public record Silence(long id, String instanceId, Long alertId, Instant startsAt, Instant endsAt, String reason,
        String createdBy) {

    boolean covers(Alert alert, Instant now) {
        if (now.isBefore(startsAt) || !now.isBefore(endsAt)) {
            return false;
        }
        return alertId != null ? alertId == alert.id() : alert.instanceId().equals(instanceId);
    }

    public boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }
}
