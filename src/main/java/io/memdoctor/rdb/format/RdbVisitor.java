package io.memdoctor.rdb.format;

/** What {@link RdbParser} reports while it reads, in file order. Called on the reading thread. */
public interface RdbVisitor {

    /** The file's RDB format version, first of all. */
    default void version(int version) {
    }

    /** An auxiliary field ({@code redis-ver}, {@code used-mem}, {@code ctime}, ...); long values are cut. */
    default void aux(String key, String value) {
    }

    /** The RESIZEDB hint of a database: how many keys and expiring keys it held. */
    default void databaseSize(int db, long keys, long expires) {
    }

    /** A function library (Redis 7 functions), by its name when its first line gives one. */
    default void function(String library, long bytes) {
    }

    /** Module data outside keys (module AUX), skipped. */
    default void moduleAux(String module, long bytes) {
    }

    /** One key, read whole. */
    void key(RdbKey key);
}
