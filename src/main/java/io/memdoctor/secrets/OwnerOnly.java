package io.memdoctor.secrets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the dashboard's user may read: the data directory (0700) and what is in it (0600). On a file system
 * without POSIX permissions (Windows) the operating system's defaults apply.
 */
public final class OwnerOnly {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates the directory (and missing parents) owner-only, or makes an existing one owner-only. */
    public static void directory(Path dir) throws IOException {
        if (!posix()) {
            Files.createDirectories(dir);
            return;
        }
        if (Files.isDirectory(dir)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
            return;
        }
        // created with the permissions, not tightened afterwards: no instant where others may enter
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Files.setPosixFilePermissions(dir, DIRECTORY);
    }

    /** Creates a new empty file owner-only; fails if it exists. */
    static Path createFile(Path file) throws IOException {
        if (!posix()) {
            return Files.createFile(file);
        }
        FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(FILE);
        return Files.createFile(file, attribute);
    }

    /**
     * Makes the directory and every regular file directly in it owner-only. H2 creates its files with the
     * process' umask; the directory already keeps others out, and this removes the group and world bits too.
     */
    public static void tighten(Path dir) throws IOException {
        if (!posix() || !Files.isDirectory(dir)) {
            return;
        }
        Files.setPosixFilePermissions(dir, DIRECTORY);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
