package io.memdoctor.incidents.web;

import io.memdoctor.incidents.export.ExportFile;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** An export as a download: an attachment the browser saves, never renders in the dashboard's origin. */
final class Downloads {

    private Downloads() {
    }

    static ResponseEntity<byte[]> of(ExportFile file) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType()))
                // names are ASCII (an instance id and a time), so plain filename="..." that curl -J understands
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(file.filename()).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                // an HTML export opened from here anyway runs nothing and reaches nothing
                .header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'")
                .body(file.body());
    }
}
