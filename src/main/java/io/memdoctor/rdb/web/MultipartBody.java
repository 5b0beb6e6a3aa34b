package io.memdoctor.rdb.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.memdoctor.rdb.RdbRejectedException;

/**
 * The part named {@code file} of a {@code multipart/form-data} body, read as a stream: RDB files run to gigabytes,
 * more than Spring's multipart settings allow for the rest of the dashboard, and must never sit in memory. Other
 * parts are skipped. The stream ends where the part ends.
 */
final class MultipartBody {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[;\\s]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADER_LINES = 32;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[128 * 1024];
    private int pos;
    private int limit;
    /** Bytes before this index (in {@link #buf}) are known to be part content. */
    private int safeUntil;
    private boolean eof;
    private String filename;

    private MultipartBody(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The {@code file} part of a body with this content type, positioned at its first byte. */
    static MultipartBody open(InputStream in, String contentType) throws IOException {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !m.find()) {
            throw bad("the multipart body has no boundary");
        }
        MultipartBody body = new MultipartBody(in, m.group(1) != null ? m.group(1) : m.group(2));
        body.findFilePart();
        return body;
    }

    /** The uploaded file's name as the browser gave it (path removed), or null. */
    String filename() {
        return filename;
    }

    private void findFilePart() throws IOException {
        String first = "--" + new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1);
        String line;
        do {
            line = readLine();
            if (line == null) {
                throw bad("the multipart body has no part named \"file\"");
            }
        } while (!line.equals(first));
        while (true) {
            String name = null;
            String file = null;
            for (int i = 0; ; i++) {
                line = readLine();
                if (line == null || i > MAX_HEADER_LINES) {
                    throw bad("the multipart body ends inside a part's headers");
                }
                if (line.isEmpty()) {
                    break;
                }
                if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    Matcher n = NAME.matcher(line);
                    name = n.find() ? n.group(1) : null;
                    Matcher f = FILENAME.matcher(line);
                    file = f.find() ? f.group(1) : null;
                }
            }
            if ("file".equals(name)) {
                filename = file == null ? null : file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
                return;
            }
            InputStream skipped = part();
            skipped.transferTo(OutputStreamSink.INSTANCE);
            if (!nextPartFollows()) {
                throw bad("the multipart body has no part named \"file\"");
            }
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** After a part: true when another part follows, false at the closing delimiter. */
    private boolean nextPartFollows() throws IOException {
        String rest = readLine();
        return rest != null && !rest.startsWith("--");
    }

    /** The current part's bytes, up to the next delimiter (consumed). */
    InputStream part() {
        return new InputStream() {
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done) {
                    return -1;
                }
                if (pos >= safeUntil) {
                    fillAtLeast(delimiter.length);
                    int found = indexOfDelimiter();
                    if (found == pos) {
                        pos += delimiter.length;
                        done = true;
                        return -1;
                    }
                    if (found > pos) {
                        safeUntil = found;
                    }
                    else if (eof && limit - pos < delimiter.length) {
                        throw bad("the multipart body ends before the closing boundary");
                    }
                    else {
                        // no delimiter starts before here; the tail may be the start of one
                        safeUntil = limit - (delimiter.length - 1);
                    }
                }
                int n = Math.min(len, safeUntil - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private int indexOfDelimiter() {
        int last = limit - delimiter.length;
        byte first = delimiter[0];
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void fillAtLeast(int wanted) throws IOException {
        if (limit - pos >= wanted || eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            safeUntil = Math.max(0, safeUntil - pos);
            pos = 0;
        }
        while (limit < buf.length && !eof) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            }
            else {
                limit += n;
                if (limit - pos >= wanted && n == 0) {
                    break;
                }
            }
            if (limit - pos >= Math.max(wanted, buf.length / 2)) {
                break;
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            fillAtLeast(2);
            if (pos >= limit) {
                return line.length() == 0 ? null : line.toString();
            }
            byte b = buf[pos++];
            if (b == '\r' && pos < limit && buf[pos] == '\n') {
                pos++;
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw bad("a multipart header line is too long");
            }
            line.append((char) (b & 0xff));
        }
    }

    private static RdbRejectedException bad(String detail) {
        return RdbRejectedException.badRequest(detail);
    }
}
