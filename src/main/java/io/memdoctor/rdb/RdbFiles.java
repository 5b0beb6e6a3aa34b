package io.memdoctor.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.memdoctor.config.MemDoctorProperties;
import io.memdoctor.rdb.format.RdbFormatException;
import io.memdoctor.rdb.format.RdbParser;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Where the files analysed come from: uploads, streamed under the data dir within the size limit, and the files of
 * {@code memdoctor.rdb.directory}, never a path outside it. A file reaches the reader only with an RDB header.
 */
@Component
class RdbFiles {

    private static final Logger log = LoggerFactory.getLogger(RdbFiles.class);
    private static final int MAX_FILES_LISTED = 500;

    private final RdbProperties properties;
    private final Path uploads;

    RdbFiles(RdbProperties properties, MemDoctorProperties memdoctor) {
        this.properties = properties;
        this.uploads = memdoctor.dataDir().resolve("rdb-uploads");
    }

    /**
     * An upload stored on disk.
     *
     * @param file where it is (deleted once read)
     * @param bytes its size
     */
    record Upload(Path file, long bytes) {
    }

    /**
     * Stores an upload as {@code <id>.rdb}.
     *
     * @throws RdbRejectedException 413 beyond the size limit, 400 when empty, cut off or not an RDB file
     */
    Upload store(InputStream body, String id) {
        Path file;
        long size;
        try {
            Files.createDirectories(uploads);
            file = uploads.resolve(id + ".rdb");
            size = copyLimited(body, file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not store the upload under " + uploads, e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            RdbParser.checkHeader(in);
        }
        catch (RdbFormatException e) {
            deleteQuietly(file);
            throw RdbRejectedException.badRequest(e.getMessage());
        }
        catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(e);
        }
        return new Upload(file, size);
    }

    private long copyLimited(InputStream body, Path file) throws IOException {
        long limit = properties.maxUploadSize().toBytes();
        long total = 0;
        byte[] buffer = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > limit) {
                    throw new RdbRejectedException(HttpStatus.CONTENT_TOO_LARGE, "File too large",
                            "The upload is larger than memdoctor.rdb.max-upload-size (" + properties.maxUploadSize()
                                    + "). Copy the file into memdoctor.rdb.directory and analyse it there instead.");
                }
                out.write(buffer, 0, n);
            }
        }
        catch (RdbRejectedException | IOException e) {
            deleteQuietly(file);
            // a body cut off is the client's fault (400); a disk that fails is ours
            if (e instanceof IOException io && !(e instanceof FileSystemException)) {
                throw RdbRejectedException.badRequest("the upload was interrupted: " + io.getMessage());
            }
            throw e;
        }
        if (total == 0) {
            deleteQuietly(file);
            throw RdbRejectedException.badRequest("the upload is empty: send the RDB file as the request body"
                    + " (application/octet-stream) or as the multipart part named \"file\"");
        }
        return total;
    }

    /**
     * A readable RDB file of the directory.
     *
     * @param name a path relative to the directory; nothing outside it (no {@code ..}, no absolute path, no
     *     symbolic link leading out)
     */
    Path inDirectory(String name) {
        Path file = resolveInDirectory(name);
        try (InputStream in = Files.newInputStream(file)) {
            RdbParser.checkHeader(in);
        }
        catch (RdbFormatException e) {
            throw RdbRejectedException.badRequest(name + ": " + e.getMessage());
        }
        catch (IOException e) {
            throw RdbRejectedException.badRequest(name + " cannot be read: " + e.getClass().getSimpleName());
        }
        return file;
    }

    Path resolveInDirectory(String name) {
        Path directory = properties.directory();
        if (directory == null) {
            throw new RdbRejectedException(HttpStatus.CONFLICT, "No RDB directory",
                    "memdoctor.rdb.directory is not set: upload the file instead");
        }
        if (name == null || name.isBlank() || name.length() > 1000 || name.indexOf('\0') >= 0) {
            throw RdbRejectedException.badRequest("give the file's path relative to memdoctor.rdb.directory");
        }
        Path relative = Path.of(name);
        if (relative.isAbsolute() || name.startsWith("/") || name.startsWith("\\")
                || Stream.of(name.split("[/\\\\]")).anyMatch(".."::equals)) {
            throw RdbRejectedException.badRequest("the path must be relative to memdoctor.rdb.directory, without ..");
        }
        try {
            Path root = directory.toRealPath();
            Path file = root.resolve(relative).normalize();
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new RdbRejectedException(HttpStatus.NOT_FOUND, "No such file",
                        "no file " + name + " in memdoctor.rdb.directory");
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root)) {
                throw RdbRejectedException.badRequest(name + " leads outside memdoctor.rdb.directory");
            }
            if (!Files.isRegularFile(real)) {
                throw RdbRejectedException.badRequest(name + " is not a regular file");
            }
            return real;
        }
        catch (IOException e) {
            throw RdbRejectedException.badRequest(name + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** The files of the directory (first level), by name; empty when it is not set. */
    List<RdbService.DirectoryFile> list() {
        Path directory = properties.directory();
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile).limit(MAX_FILES_LISTED).map(p -> {
                try {
                    return new RdbService.DirectoryFile(p.getFileName().toString(), Files.size(p));
                }
                catch (IOException e) {
                    return new RdbService.DirectoryFile(p.getFileName().toString(), -1);
                }
            }).sorted(Comparator.comparing(RdbService.DirectoryFile::name)).toList();
        }
        catch (IOException e) {
            return List.of();
        }
    }

    boolean directoryConfigured() {
        return properties.directory() != null;
    }

    /** Uploads left by a dashboard that stopped while reading them: nothing will read them now. */
    @PostConstruct
    void removeLeftUploads() {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        try (Stream<Path> left = Files.list(uploads)) {
            left.filter(p -> p.getFileName().toString().endsWith(".rdb")).forEach(RdbFiles::deleteQuietly);
        }
        catch (IOException e) {
            log.warn("could not clean {}", uploads);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            log.warn("could not delete {}", file);
        }
    }
}
