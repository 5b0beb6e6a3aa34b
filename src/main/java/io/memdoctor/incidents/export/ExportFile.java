package io.memdoctor.incidents.export;

/**
 * A file to download.
 *
 * @param body its bytes
 * @param contentType its media type, with charset
 * @param filename the name offered to the browser
 */
public record ExportFile(byte[] body, String contentType, String filename) {
}
