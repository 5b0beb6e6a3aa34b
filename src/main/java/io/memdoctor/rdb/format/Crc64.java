package io.memdoctor.rdb.format;

/**
 * CRC-64/Jones as Redis computes it over an RDB file (reflected, polynomial 0xad93d23594c935a9, initial value 0),
 * slicing by 8 so checking the checksum does not slow the read down.
 */
final class Crc64 {

    private static final long POLY = 0x95ac9329ac4bc9b5L; // 0xad93d23594c935a9 reflected
    private static final long[][] TABLE = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[0][n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLE[0][n];
            for (int k = 1; k < 8; k++) {
                crc = TABLE[0][(int) (crc & 0xff)] ^ (crc >>> 8);
                TABLE[k][n] = crc;
            }
        }
    }

    private long crc;

    void update(byte[] data, int offset, int length) {
        long c = crc;
        int i = offset;
        int end = offset + length;
        while (end - i >= 8) {
            c ^= (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            c = TABLE[7][(int) (c & 0xff)] ^ TABLE[6][(int) ((c >>> 8) & 0xff)]
                    ^ TABLE[5][(int) ((c >>> 16) & 0xff)] ^ TABLE[4][(int) ((c >>> 24) & 0xff)]
                    ^ TABLE[3][(int) ((c >>> 32) & 0xff)] ^ TABLE[2][(int) ((c >>> 40) & 0xff)]
                    ^ TABLE[1][(int) ((c >>> 48) & 0xff)] ^ TABLE[0][(int) (c >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = TABLE[0][(int) ((c ^ data[i]) & 0xff)] ^ (c >>> 8);
            i++;
        }
        crc = c;
    }

    long value() {
        return crc;
    }
}
