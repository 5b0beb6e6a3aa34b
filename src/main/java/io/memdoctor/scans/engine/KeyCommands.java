package io.memdoctor.scans.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import io.memdoctor.redis.resp.RespConnection;

/**
 * The commands a scan sends about each key, encoded once: a command is a constant prefix written as it is, then the
 * key as one argument, so writing a command costs two array copies.
 */
final class KeyCommands {

    /** MEMORY USAGE's own default; when asked for, the SAMPLES argument is left out (two arguments less to parse). */
    private static final int DEFAULT_SAMPLES = 5;

    static final byte[] DBSIZE = command("DBSIZE");
    private static final byte[] TYPE = command("TYPE", null);
    private static final byte[] PTTL = command("PTTL", null);
    private static final Map<String, byte[]> SIZE_COMMANDS = Map.of(
            "string", command("STRLEN", null),
            "list", command("LLEN", null),
            "set", command("SCARD", null),
            "zset", command("ZCARD", null),
            "hash", command("HLEN", null),
            "stream", command("XLEN", null));

    private final RespConnection connection;
    private final byte[] memoryUsagePrefix;
    private final byte[] memoryUsageSuffix;

    KeyCommands(RespConnection connection, int samples) {
        this.connection = connection;
        boolean defaultSamples = samples == DEFAULT_SAMPLES;
        this.memoryUsagePrefix = defaultSamples ? command("MEMORY", "USAGE", null)
                : command("MEMORY", "USAGE", null, null, null);
        this.memoryUsageSuffix = defaultSamples ? new byte[0]
                : RespConnection.encode("SAMPLES", Integer.toString(samples));
    }

    /** The encoded start of a command; each {@code null} is an argument appended later. */
    static byte[] command(String... arguments) {
        int fixed = 0;
        while (fixed < arguments.length && arguments[fixed] != null) {
            fixed++;
        }
        byte[] head = ("*" + arguments.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] rest = RespConnection.encode(Arrays.copyOf(arguments, fixed));
        byte[] out = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, out, head.length, rest.length);
        return out;
    }

    /**
     * Writes STRLEN, LLEN, SCARD, ZCARD, HLEN or XLEN, as the type asks.
     *
     * @return false, with nothing written, when the type has no size command (module types, or no type)
     */
    boolean size(String type, byte[] key) {
        byte[] command = type == null ? null : SIZE_COMMANDS.get(type);
        if (command == null) {
            return false;
        }
        keyCommand(command, key);
        return true;
    }

    void type(byte[] key) {
        keyCommand(TYPE, key);
    }

    void pttl(byte[] key) {
        keyCommand(PTTL, key);
    }

    void memoryUsage(byte[] key) {
        connection.raw(memoryUsagePrefix);
        connection.argument(key);
        connection.raw(memoryUsageSuffix);
    }

    private void keyCommand(byte[] prefix, byte[] key) {
        connection.raw(prefix);
        connection.argument(key);
    }
}
