package io.memdoctor.rdb.format;

/**
 * One key as read from the file.
 *
 * @param index its position in the file (0 for the first key)
 * @param db the database it belongs to
 * @param name its name, cut to the first {@link RdbParser#MAX_KEY_BYTES} bytes when longer
 * @param type string, list, set, zset, hash, stream, or the module type's name
 * @param encoding how the file stores it (listpack, quicklist, hashtable, ...)
 * @param elements STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN; -1 when unknown (module values)
 * @param bytes the memory Redis would use for it, estimated
 * @param expireAtMillis when it expires (Unix milliseconds), -1 for never
 * @param fieldsWithTtl hash fields with their own expiry (Redis 7.4+), 0 for other types
 * @param storedBytes bytes it takes in the file
 */
public record RdbKey(long index, int db, byte[] name, String type, String encoding, long elements, long bytes,
        long expireAtMillis, long fieldsWithTtl, long storedBytes) {
}
