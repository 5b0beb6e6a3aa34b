package io.memdoctor.rdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.rdb.format.RdbFormatException;
import io.memdoctor.rdb.format.RdbKey;
import io.memdoctor.rdb.format.RdbParser;
import io.memdoctor.rdb.format.RdbVisitor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encodings no server at hand writes any more (Redis 2.x to 6.x: linked lists, zipmaps, ziplists, quicklists of
 * ziplists, string-scored sorted sets, second-based expiries) and records that need a module or a cluster (module
 * values and module AUX, SLOT_INFO), built byte by byte from the format in rdb.h / rdb.c.
 */
class RdbOldFormatsTests {

    /** Bytes of an RDB file, written as rdb.c writes them. */
    private static final class Rdb {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Rdb(int version) {
            raw(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        }

        Rdb u8(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Rdb raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Rdb len(long n) {
            if (n < 64) {
                return u8((int) n);
            }
            if (n < 16384) {
                return u8(0x40 | (int) (n >> 8), (int) (n & 0xff));
            }
            u8(0x81);
            for (int i = 7; i >= 0; i--) {
                u8((int) (n >>> (8 * i)) & 0xff);
            }
            return this;
        }

        Rdb str(String s) {
            return blob(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        Rdb blob(byte[] b) {
            len(b.length);
            return raw(b);
        }

        Rdb le(long v, int bytes) {
            for (int i = 0; i < bytes; i++) {
                u8((int) (v >>> (8 * i)) & 0xff);
            }
            return this;
        }

        byte[] end() {
            u8(0xff);
            return out.toByteArray();
        }
    }

    /** A ziplist of short strings and small integers; {@code count} in the header (0xffff: unknown). */
    private static byte[] ziplist(int count, Object... entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        for (Object e : entries) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            entry.write(prev);
            if (e instanceof Integer i && i >= 0 && i <= 12) {
                entry.write(0xf1 + i);
            }
            else {
                byte[] s = e.toString().getBytes(StandardCharsets.ISO_8859_1);
                entry.write(s.length);
                entry.writeBytes(s);
            }
            prev = entry.size();
            body.writeBytes(entry.toByteArray());
        }
        byte[] entriesBytes = body.toByteArray();
        int total = 10 + entriesBytes.length + 1;
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        for (long v : new long[] {total, 10 + entriesBytes.length - prev}) {
            for (int i = 0; i < 4; i++) {
                zl.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        zl.write(count & 0xff);
        zl.write(count >> 8);
        zl.writeBytes(entriesBytes);
        zl.write(0xff);
        return zl.toByteArray();
    }

    private static byte[] zipmap(String... pairs) {
        ByteArrayOutputStream zm = new ByteArrayOutputStream();
        zm.write(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            zm.write(pairs[i].length());
            zm.writeBytes(pairs[i].getBytes(StandardCharsets.ISO_8859_1));
            zm.write(pairs[i + 1].length());
            zm.write(0); // free
            zm.writeBytes(pairs[i + 1].getBytes(StandardCharsets.ISO_8859_1));
        }
        zm.write(0xff);
        return zm.toByteArray();
    }

    private static byte[] intset(long... values) {
        ByteArrayOutputStream is = new ByteArrayOutputStream();
        for (long v : new long[] {2, values.length}) {
            for (int i = 0; i < 4; i++) {
                is.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        for (long v : values) {
            is.write((int) v & 0xff);
            is.write((int) (v >> 8) & 0xff);
        }
        return is.toByteArray();
    }

    private record Read(Map<String, RdbKey> keys, Map<String, String> aux, List<String> functions,
            List<String> moduleAux) {
    }

    private static Read parse(byte[] file) {
        Map<String, RdbKey> keys = new HashMap<>();
        Map<String, String> aux = new HashMap<>();
        List<String> functions = new ArrayList<>();
        List<String> modules = new ArrayList<>();
        RdbParser.of(new ByteArrayInputStream(file), new RdbVisitor() {
            @Override
            public void aux(String key, String value) {
                aux.put(key, value);
            }

            @Override
            public void function(String library, long bytes) {
                functions.add(library);
            }

            @Override
            public void moduleAux(String module, long bytes) {
                modules.add(module);
            }

            @Override
            public void key(RdbKey key) {
                keys.put(key.db() + "/" + new String(key.name(), StandardCharsets.ISO_8859_1), key);
            }
        }, () -> false).parse();
        return new Read(keys, aux, functions, modules);
    }

    @Test
    void redis2And3EncodingsAreCounted() {
        Rdb rdb = new Rdb(6);
        rdb.u8(0xfa).str("redis-ver").str("3.2.12");
        rdb.u8(0xfe).len(0);
        rdb.u8(0xfd).le(2_000_000_000L, 4).u8(1).str("old:list").len(3).str("a").str("bb").u8(0xc0, 7); // INT8 7
        rdb.u8(3).str("old:zset").len(2).str("m1").str("1.5").str("m2").u8(254); // +inf
        rdb.u8(9).str("old:zipmap").blob(zipmap("f1", "v1", "f2", "v2", "f3", "v3"));
        rdb.u8(10).str("old:ziplist").blob(ziplist(4, "x", 3, "yy", 12));
        rdb.u8(10).str("old:ziplist-unknown-count").blob(ziplist(0xffff, "x", 3, "yy"));
        rdb.u8(11).str("old:intset").blob(intset(1, 2, 300, 40000));
        rdb.u8(12).str("old:zset-ziplist").blob(ziplist(4, "a", "1", "b", "2"));
        rdb.u8(13).str("old:hash-ziplist").blob(ziplist(6, "f", "v", "g", 5, "h", "w"));
        rdb.u8(0xfe).len(3);
        rdb.u8(2).str("old:set").len(2).str("x").u8(0xc1).le(1234, 2); // INT16
        rdb.u8(4).str("old:hash").len(1).str("field").u8(0xc2).le(70000, 4); // INT32
        byte[] file = rdb.le(0, 8).end();
        // the checksum (0: not computed) follows EOF; move EOF before it
        file = withEofBeforeChecksum(file);
        Read read = parse(file);
        assertThat(read.aux()).containsEntry("redis-ver", "3.2.12");
        Map<String, RdbKey> k = read.keys();
        assertThat(k).hasSize(10);
        assertThat(k.get("0/old:list").elements()).isEqualTo(3);
        assertThat(k.get("0/old:list").expireAtMillis()).isEqualTo(2_000_000_000_000L);
        assertThat(k.get("0/old:zset").elements()).isEqualTo(2);
        assertThat(k.get("0/old:zipmap").elements()).isEqualTo(3);
        assertThat(k.get("0/old:ziplist").elements()).isEqualTo(4);
        assertThat(k.get("0/old:ziplist-unknown-count").elements()).isEqualTo(3);
        assertThat(k.get("0/old:intset").elements()).isEqualTo(4);
        assertThat(k.get("0/old:zset-ziplist").elements()).isEqualTo(2);
        assertThat(k.get("0/old:hash-ziplist").elements()).isEqualTo(3);
        assertThat(k.get("3/old:set").elements()).isEqualTo(2);
        assertThat(k.get("3/old:hash").elements()).isEqualTo(1);
        assertThat(k.values()).allSatisfy(key -> assertThat(key.bytes()).isPositive());
        assertThat(k.get("0/old:list").type()).isEqualTo("list");
        assertThat(k.get("0/old:zipmap").type()).isEqualTo("hash");
    }

    @Test
    void quicklistsOfZiplistsModulesFunctionsAndSlotInfo() {
        long jsonModuleId = moduleId("ReJSON-RL", 3);
        Rdb rdb = new Rdb(9);
        rdb.u8(0xfa).str("redis-ver").str("7.0.0");
        rdb.u8(0xf5).str("#!lua name=mylib\nredis.register_function('f', function() return 1 end)");
        rdb.u8(0xf7).len(jsonModuleId).len(2).len(2).len(2).len(42).len(0); // module AUX: when=2, UINT 42, EOF
        rdb.u8(0xfe).len(0).u8(0xfb).len(3).len(1);
        rdb.u8(0xf4).len(1234).len(3).len(1); // SLOT_INFO
        rdb.u8(0xf8).len(100).u8(14).str("ql").len(2).blob(ziplist(2, "a", "b")).blob(ziplist(3, 1, 2, 3));
        rdb.u8(0xf9).u8(5).u8(7).str("json:doc").len(jsonModuleId)
                .len(2).len(7).len(5).str("{\"a\":1}").len(4).le(Double.doubleToLongBits(1.5), 8).len(3).le(0, 4)
                .len(0);
        rdb.u8(0xfc).le(1_900_000_000_000L, 8).u8(0).str("s").str("v");
        Read read = parse(withEofBeforeChecksum(rdb.le(0, 8).end()));
        assertThat(read.functions()).containsExactly("mylib");
        assertThat(read.moduleAux()).containsExactly("ReJSON-RL");
        assertThat(read.keys().get("0/ql").elements()).isEqualTo(5);
        assertThat(read.keys().get("0/ql").encoding()).isEqualTo("quicklist-ziplist");
        RdbKey json = read.keys().get("0/json:doc");
        assertThat(json.type()).isEqualTo("ReJSON-RL");
        assertThat(json.elements()).isEqualTo(-1);
        assertThat(json.bytes()).isGreaterThan(json.storedBytes() - 20);
        assertThat(read.keys().get("0/s").expireAtMillis()).isEqualTo(1_900_000_000_000L);
    }

    @Test
    void unknownTypesAndPreReleaseFormatsSayWhere() {
        byte[] unknownType = withEofBeforeChecksum(new Rdb(11).u8(0xfe).len(0).u8(0).str("a").str("b")
                .u8(30).str("weird").le(0, 8).end());
        assertThatThrownBy(() -> parse(unknownType)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("unknown value type 30").hasMessageContaining("key #2");
        byte[] preGaModule = withEofBeforeChecksum(new Rdb(8).u8(6).str("m").len(1).le(0, 8).end());
        assertThatThrownBy(() -> parse(preGaModule)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("module");
        byte[] corruptLzf = withEofBeforeChecksum(new Rdb(9).u8(0).str("k").u8(0xc3).len(3).len(10)
                .u8(0x01, 'a', 'b').le(0, 8).end());
        assertThatThrownBy(() -> parse(corruptLzf)).isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("LZF");
    }

    /** {@link Rdb#end()} appends 0xff after the 8 checksum bytes; an RDB has EOF then the checksum. */
    private static byte[] withEofBeforeChecksum(byte[] file) {
        byte[] fixed = file.clone();
        int n = fixed.length;
        System.arraycopy(file, n - 9, fixed, n - 8, 8);
        fixed[n - 9] = (byte) 0xff;
        return fixed;
    }

    private static long moduleId(String name, int encver) {
        String charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (char c : name.toCharArray()) {
            id = (id << 6) | charset.indexOf(c);
        }
        return (id << 10) | encver;
    }
}
