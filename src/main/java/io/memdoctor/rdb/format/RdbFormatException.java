package io.memdoctor.rdb.format;

/**
 * The file is not an RDB file we can read, or is corrupt or truncated. The message says what and where (byte
 * offset, and the index of the key being read when there was one), for the person who uploaded it.
 */
public class RdbFormatException extends RuntimeException {

    private final long offset;

    public RdbFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset in the file where reading stopped. */
    public long offset() {
        return offset;
    }
}
