package io.memdoctor.incidents;

/**
 * What to capture.
 *
 * @param title one line, required
 * @param note what is known so far, optional
 * @param scan whether to start a throttled keyspace scan and attach its result
 * @param windowHours hours of history before the capture, {@code null} for 6
 */
public record CaptureRequest(String title, String note, Boolean scan, Integer windowHours) {

    static final int MAX_TITLE = 200;
    static final int MAX_NOTE = 4000;
    static final int MAX_WINDOW_HOURS = 7 * 24;

    public CaptureRequest {
        scan = Boolean.TRUE.equals(scan);
        title = IncidentService.text("title", title, MAX_TITLE, true);
        note = IncidentService.text("note", note, MAX_NOTE, false);
        if (windowHours != null && (windowHours < 1 || windowHours > MAX_WINDOW_HOURS)) {
            throw new IllegalArgumentException("windowHours must be between 1 and " + MAX_WINDOW_HOURS);
        }
    }
}
