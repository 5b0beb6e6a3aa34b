package io.memdoctor.alerts;

/**
 * {@code POST /api/alerts/silences}: silence an instance or one alert.
 *
 * @param instanceId the instance, or
 * @param alertId one alert
 * @param minutes for how long (1 to 43,200)
 * @param reason why
 */
record SilenceRequest(String instanceId, Long alertId, Long minutes, String reason) {
}
