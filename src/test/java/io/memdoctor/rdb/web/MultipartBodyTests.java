package io.memdoctor.rdb.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.memdoctor.rdb.RdbRejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streamed multipart reader: exact bytes whatever the part's size and content, other parts skipped. */
class MultipartBodyTests {

    private static final String BOUNDARY = "----x7MA4YWxkTrZu0gW";

    private static byte[] body(byte[] file, boolean otherPartFirst) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (otherPartFirst) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\n--"
                    + BOUNDARY.substring(0, 10) + "\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        else {
            out.writeBytes(("preamble\r\n--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("Content-Disposition: form-data; name=\"file\"; filename=\"/tmp/dump.rdb\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] read(byte[] body) throws IOException {
        MultipartBody multipart = MultipartBody.open(new ByteArrayInputStream(body),
                "multipart/form-data; boundary=" + BOUNDARY);
        assertThat(multipart.filename()).isEqualTo("dump.rdb");
        try (InputStream part = multipart.part()) {
            return part.readAllBytes();
        }
    }

    @Test
    void givesThePartsExactBytesAtEverySizeAroundTheBuffer() throws IOException {
        Random rnd = new Random(5);
        for (int size : new int[] {0, 1, 44, 45, 46, 65_535, 65_536, 131_071, 131_072, 131_073, 400_000}) {
            byte[] file = new byte[size];
            rnd.nextBytes(file);
            // near-misses of the delimiter inside the content
            byte[] near = ("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1)).getBytes(StandardCharsets.ISO_8859_1);
            for (int at = 0; at + near.length < size; at += 50_000) {
                System.arraycopy(near, 0, file, at, near.length);
            }
            assertThat(read(body(file, size % 2 == 0))).as("size %d", size).isEqualTo(file);
        }
    }

    @Test
    void readsFiftyMegabytesQuickly() throws IOException {
        byte[] file = new byte[50 << 20];
        new Random(1).nextBytes(file);
        byte[] body = body(file, false);
        long start = System.nanoTime();
        byte[] back = read(body);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(back).hasSize(file.length);
        assertThat(seconds).as("seconds for 50 MB").isLessThan(5);
    }

    @Test
    void refusesBodiesWithoutAFilePartOrBoundary() {
        assertThatThrownBy(() -> MultipartBody.open(new ByteArrayInputStream(new byte[10]), "multipart/form-data"))
                .isInstanceOf(RdbRejectedException.class);
        byte[] noFile = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--" + BOUNDARY
                + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> MultipartBody.open(new ByteArrayInputStream(noFile),
                "multipart/form-data; boundary=" + BOUNDARY)).isInstanceOf(RdbRejectedException.class)
                .hasMessageContaining("no part named");
        byte[] cut = java.util.Arrays.copyOf(body(new byte[1000], false), 600);
        assertThatThrownBy(() -> read(cut)).isInstanceOf(RdbRejectedException.class);
    }
}
