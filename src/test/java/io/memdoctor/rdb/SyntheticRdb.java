package io.memdoctor.rdb;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes large RDB files of plain strings quickly (checksum 0: not checked), for cancel and size tests. */
final class SyntheticRdb {

    private SyntheticRdb() {
    }

    static Path write(Path file, int keys) {
        return write(file, keys, 0);
    }

    /** With values padded to {@code valueLength} bytes (under 16 KiB). */
    static Path write(Path file, int keys, int valueLength) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("REDIS0011".getBytes(StandardCharsets.US_ASCII));
            out.write(0xfe);
            out.write(0);
            for (int i = 0; i < keys; i++) {
                out.write(0);
                string(out, "synthetic:key:" + i);
                String value = "value-" + i;
                string(out, value.length() >= valueLength ? value : value + "x".repeat(valueLength - value.length()));
            }
            out.write(0xff);
            out.write(new byte[8]);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void string(OutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length < 64) {
            out.write(b.length); // a 6-bit length
        }
        else {
            out.write(0x40 | (b.length >> 8)); // a 14-bit length
            out.write(b.length & 0xff);
        }
        out.write(b);
    }
}
