package io.memdoctor.alerts.channels;

import java.time.Instant;

/**
 * One notification of one alert to one channel, with its retries; the JSON of {@code GET /api/alerts/deliveries}.
 *
 * @param id stable id
 * @param channel the channel's name
 * @param instanceId the instance (notifications are grouped per instance)
 * @param alertId the alert
 * @param kind FIRING (first or repeated) or RESOLVED
 * @param status PENDING, SENDING (claimed by a dashboard replica), RETRYING, DELIVERED or FAILED (gave up)
 * @param attempts attempts made
 * @param createdAt when it was queued
 * @param nextAttemptAt when it is tried next
 * @param deliveredAt when the channel accepted it
 * @param lastError why the last attempt failed (status code or error, never the URL)
 */
public record Delivery(long id, String channel, String instanceId, long alertId, String kind, String status,
        int attempts, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, String lastError) {
}
