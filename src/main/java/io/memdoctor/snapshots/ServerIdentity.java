package io.memdoctor.snapshots;

/**
 * What server a sample came from, as people name it: "Valkey 8.0.1" for Valkey (which reports
 * {@code redis_version:7.2.4} for compatibility; its own version is {@code valkey_version}, {@code server_name} is
 * "valkey"), "Redis 7.4.1" from {@code redis_version} otherwise. Only the version fields of the sample are read, so
 * what a snapshot kept is named the same way later.
 */
public final class ServerIdentity {

    private ServerIdentity() {
    }

    /** "Valkey 8.0.1", "Redis 7.4.1", or {@code null} when the sample names no version (a failed sample). */
    public static String of(Snapshot snapshot) {
        return snapshot == null ? null : of(snapshot.getText(Metric.SERVER_NAME),
                snapshot.getText(Metric.VALKEY_VERSION), snapshot.getText(Metric.REDIS_VERSION));
    }

    /** The same from the three INFO fields, any of which may be {@code null}. */
    public static String of(String serverName, String valkeyVersion, String redisVersion) {
        if (valkeyVersion != null && !valkeyVersion.isBlank()) {
            return "Valkey " + valkeyVersion;
        }
        if ("valkey".equalsIgnoreCase(serverName)) {
            // a Valkey without valkey_version: its redis_version is only the compatibility level
            return redisVersion == null ? "Valkey" : "Valkey (Redis " + redisVersion + " compatible)";
        }
        return redisVersion == null || redisVersion.isBlank() ? null : "Redis " + redisVersion;
    }
}
