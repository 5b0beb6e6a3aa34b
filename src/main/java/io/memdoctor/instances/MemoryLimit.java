package io.memdoctor.instances;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.memdoctor.format.Units;

/**
 * The memory limit a user declares for an instance: its container's limit (Kubernetes {@code resources.limits.memory},
 * {@code docker run --memory}) or its budget on a shared host. Redis cannot see a cgroup limit (INFO's
 * {@code total_system_memory} is the host's), so without this the dashboard measures against the host. A limit is
 * between {@value #MIN} bytes (Redis alone takes about a megabyte) and {@value #MAX} bytes (1 PB, beyond any machine).
 */
public final class MemoryLimit {

    public static final long MIN = 1024L * 1024;
    public static final long MAX = 1L << 50;

    /** A whole number, then an optional binary unit: {@code 1073741824}, {@code 512MB}, {@code 1 GiB}, {@code 2gb}. */
    private static final Pattern TEXT = Pattern.compile("(\\d{1,19})\\s*([KMGTP]I?B?|B)?");

    private MemoryLimit() {
    }

    /**
     * The limit in bytes, checked; {@code null} for none.
     *
     * @throws IllegalArgumentException (400) for 0, a negative or an absurd value
     */
    public static Long valid(Long bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("memoryLimit must be a positive number of bytes (the container's"
                    + " memory limit); leave it empty (null) for none");
        }
        if (bytes < MIN) {
            throw new IllegalArgumentException("memoryLimit must be at least " + Units.bytes(MIN) + " (" + MIN
                    + " bytes): Redis alone takes about that much");
        }
        if (bytes > MAX) {
            throw new IllegalArgumentException("memoryLimit must be at most " + Units.bytes(MAX) + " (" + MAX
                    + " bytes)");
        }
        return bytes;
    }

    /**
     * The limit as the form shows it, exact and accepted back by {@link #parse}: {@code 1GB}, {@code 1536MB}, or in
     * decimal units where binary ones are not exact ({@code 1G} for 10^9 bytes).
     */
    public static String text(Long bytes) {
        if (bytes == null) {
            return "";
        }
        String binary = exact(bytes, 1024, new String[] {"B", "KB", "MB", "GB", "TB", "PB"});
        String decimal = exact(bytes, 1000, new String[] {"B", "K", "M", "G", "T", "P"});
        return binary.length() <= decimal.length() ? binary : decimal;
    }

    private static String exact(long bytes, int base, String[] units) {
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value != 0 && value % base == 0) {
            value /= base;
            unit++;
        }
        return value + units[unit];
    }

    /**
     * A limit typed in a form or configured: bytes, or a number with a unit as Kubernetes and redis.conf write them.
     * A unit with {@code B} or {@code i} is binary ({@code 512MB}, {@code 1GB}, {@code 1 GiB}, {@code 1Gi}: a GB is
     * 2^30 bytes, as in Spring's {@code DataSize}); a single letter is decimal ({@code 1G} is 10^9 bytes, as
     * Kubernetes' {@code 1G} and redis.conf's {@code 1g}). Docker's {@code --memory 1g} means 2^30: write it
     * {@code 1GB} here (read as decimal, it would only be measured against a limit 7 % lower). Blank for none.
     *
     * @throws IllegalArgumentException (400) for anything else, or a value {@link #valid} refuses
     */
    public static Long parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = TEXT.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("the memory limit must be a size such as 1GB, 512MB or 1073741824"
                    + " (bytes); leave it empty for none");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        int power = "BKMGTP".indexOf(unit.charAt(0));
        long base = unit.length() > 1 ? 1024 : 1000;
        try {
            long number = Long.parseLong(m.group(1));
            for (int i = 0; i < power; i++) {
                if (number > MAX / base) {
                    return valid(MAX + 1);
                }
                number *= base;
            }
            return valid(number);
        }
        catch (NumberFormatException ex) {
            return valid(MAX + 1);
        }
    }
}
