package io.memdoctor.rdb;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.memdoctor.format.Units;

/**
 * An RDB file's aux fields as a reader wants them: {@code ctime} as a UTC time, {@code used-mem} and
 * {@code aof-base}-like byte counts in units, each with the raw value kept beside it.
 */
public final class AuxFields {

    private AuxFields() {
    }

    /** The fields in file order, each with its readable meaning (empty when the raw value says it all). */
    static List<Field> of(Map<String, String> aux) {
        return aux.entrySet().stream().map(e -> new Field(e.getKey(), e.getValue(), meaning(e.getKey(), e.getValue())))
                .toList();
    }

    static String meaning(String key, String value) {
        try {
            return switch (key) {
                case "ctime" -> "written " + Units.utc(Instant.ofEpochSecond(Long.parseLong(value.trim())));
                case "used-mem" -> "used_memory " + Units.bytes(Long.parseLong(value.trim())) + " when written";
                case "aof-base" -> "1".equals(value.trim()) ? "base of an AOF (multi-part AOF)" : "";
                case "repl-offset" -> "replication offset when written";
                default -> "";
            };
        }
        catch (NumberFormatException | java.time.DateTimeException ex) {
            return "";
        }
    }

    /**
     * @param key the aux field's name
     * @param value its raw value, as written
     * @param meaning what it says, readable; empty when the value says it all
     */
    public record Field(String key, String value, String meaning) {
    }
}
