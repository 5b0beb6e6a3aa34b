package io.memdoctor.cluster;

/** Slot ranges as text ({@code "0-5460,5462"}). */
final class Slots {

    /** Hash slots in a Redis Cluster. */
    static final int TOTAL = 16384;

    private Slots() {
    }

    /** How many slots the ranges cover. */
    static int count(String ranges) {
        int count = 0;
        if (ranges == null || ranges.isBlank()) {
            return 0;
        }
        for (String range : ranges.split(",")) {
            String[] ends = range.strip().split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
            count += to - from + 1;
        }
        return count;
    }

    /** The first slot, for ordering primaries; {@link #TOTAL} when none. */
    static int first(String ranges) {
        if (ranges == null || ranges.isBlank()) {
            return TOTAL;
        }
        return Integer.parseInt(ranges.split("[,-]")[0].strip());
    }

    /**
     * The hash slot of a key as a scan shows it (CRC16 of the key, or of its hash tag {@code {...}}, modulo 16384);
     * -1 for a name shown escaped or shortened, whose bytes the text does not give back as they are.
     */
    static int slotOf(String shownKey) {
        if (shownKey == null || shownKey.indexOf('\\') >= 0 || shownKey.contains("\u2026[")
                || shownKey.chars().anyMatch(c -> c > 0x7e)) {
            return -1;
        }
        String hashed = shownKey;
        int open = shownKey.indexOf('{');
        if (open >= 0) {
            int close = shownKey.indexOf('}', open + 1);
            if (close > open + 1) {
                hashed = shownKey.substring(open + 1, close);
            }
        }
        int crc = 0;
        for (int i = 0; i < hashed.length(); i++) {
            crc ^= hashed.charAt(i) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc % TOTAL;
    }
}
