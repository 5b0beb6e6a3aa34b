package io.memdoctor.rdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.memdoctor.rdb.format.RdbFormatException;
import io.memdoctor.rdb.format.RdbKey;
import io.memdoctor.rdb.format.RdbParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The parser against files real servers wrote: Debian's redis-server and every build in ../shared/redis-builds.
 * Key counts equal DBSIZE, element counts equal what LLEN, SCARD, ZCARD, HLEN, XLEN and STRLEN say, types equal
 * TYPE, expiries are where TTL says; broken files stop with a message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdbParserTests {

    private record Dump(RdbServer.Build build, byte[] file, List<RdbDataset.Truth> truth, Map<Integer, Long> dbsize,
            Map<String, Long> ttls, boolean hexpire) {
    }

    private final List<Dump> dumps = new ArrayList<>();

    @BeforeAll
    void writeFiles() throws IOException {
        for (RdbServer.Build build : RdbServer.available()) {
            // Debian's server also compresses inner quicklist nodes, so LZF-packed nodes are read too
            String[] extra = build.binary().equals("redis-server") ? new String[] {"--list-compress-depth", "1"}
                    : new String[0];
            try (RdbServer server = RdbServer.start(build, extra); Resp r = server.client()) {
                boolean hexpire = RdbDataset.load(r, 1, 7);
                List<RdbDataset.Truth> truth = RdbDataset.truth(r);
                Map<Integer, Long> dbsize = new HashMap<>();
                Map<String, Long> ttls = new HashMap<>();
                for (int db = 0; db < 16; db++) {
                    r.call("SELECT", db);
                    dbsize.put(db, r.integer("DBSIZE"));
                }
                for (RdbDataset.Truth t : truth) {
                    r.call("SELECT", t.db());
                    ttls.put(t.db() + "/" + t.key(), r.integer("PTTL", t.key().getBytes(StandardCharsets.ISO_8859_1)));
                }
                dumps.add(new Dump(build, Files.readAllBytes(server.save()), truth, dbsize, ttls, hexpire));
            }
        }
    }

    @AfterAll
    void release() {
        dumps.clear();
    }

    private static Map<String, RdbKey> parse(byte[] file) {
        Map<String, RdbKey> keys = new HashMap<>();
        RdbParser.of(new ByteArrayInputStream(file),
                k -> keys.put(k.db() + "/" + new String(k.name(), StandardCharsets.ISO_8859_1), k), () -> false).parse();
        return keys;
    }

    @Test
    void keysTypesAndLengthsAreWhatTheServerSays() {
        assertThat(dumps).isNotEmpty();
        for (Dump dump : dumps) {
            Map<String, RdbKey> keys = parse(dump.file());
            Map<Integer, Long> perDb = new HashMap<>();
            keys.values().forEach(k -> perDb.merge(k.db(), 1L, Long::sum));
            for (int db = 0; db < 16; db++) {
                assertThat(perDb.getOrDefault(db, 0L)).as("%s db %d", dump.build().label(), db)
                        .isEqualTo(dump.dbsize().get(db));
            }
            for (RdbDataset.Truth t : dump.truth()) {
                String id = t.db() + "/" + t.key();
                RdbKey k = keys.get(id);
                assertThat(k).as("%s %s", dump.build().label(), id).isNotNull();
                assertThat(k.type()).as("%s type of %s", dump.build().label(), id).isEqualTo(t.type());
                assertThat(k.elements()).as("%s length of %s (%s)", dump.build().label(), id, k.encoding())
                        .isEqualTo(t.elements());
                long pttl = dump.ttls().get(id);
                assertThat(k.expireAtMillis() >= 0).as("%s expiry of %s", dump.build().label(), id).isEqualTo(pttl >= 0);
                assertThat(k.bytes()).isPositive();
            }
            assertThat(keys.values().stream().map(RdbKey::encoding).distinct().toList())
                    .as(dump.build().label()).contains("hashtable", "skiplist", "intset", "quicklist", "stream");
        }
    }

    @Test
    void hashFieldsWithTtlAreCountedOnServersWithHexpire() {
        List<Dump> withHexpire = dumps.stream().filter(Dump::hexpire).toList();
        for (Dump dump : withHexpire) {
            Map<String, RdbKey> keys = parse(dump.file());
            long fields = keys.values().stream().mapToLong(RdbKey::fieldsWithTtl).sum();
            long hashes = keys.values().stream().filter(k -> k.fieldsWithTtl() > 0).count();
            assertThat(hashes).as(dump.build().label()).isPositive();
            assertThat(fields).as(dump.build().label()).isEqualTo(2 * hashes);
            assertThat(keys.values().stream().map(RdbKey::encoding)).contains("hashtable+ttl");
        }
    }

    @Test
    void aTruncatedFileStopsWithWhereAndKeepsWhatWasRead() {
        byte[] file = dumps.get(0).file();
        for (int cut : new int[] {3, 9, 40, file.length / 3, file.length / 2, file.length - 20, file.length - 3}) {
            byte[] part = java.util.Arrays.copyOf(file, cut);
            List<RdbKey> read = new ArrayList<>();
            Throwable thrown = catchThrowable(() -> RdbParser.of(new ByteArrayInputStream(part), read::add, () -> false)
                    .parse());
            assertThat(thrown).as("cut at %d", cut).isInstanceOf(RdbFormatException.class);
            assertThat(thrown.getMessage()).containsAnyOf("truncated", "not an RDB file");
            if (cut >= file.length / 2) {
                assertThat(read).as("cut at %d", cut).isNotEmpty();
                assertThat(thrown.getMessage()).contains("byte " + cut);
            }
        }
    }

    @Test
    void flippedBitsStopWithAMessageNeverAnotherError() {
        byte[] file = dumps.get(dumps.size() - 1).file();
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < 100; i++) {
            byte[] copy = file.clone();
            int at = rnd.nextInt(copy.length);
            copy[at] ^= (byte) (1 << rnd.nextInt(8));
            Throwable thrown = catchThrowable(() -> RdbParser.of(new ByteArrayInputStream(copy), k -> { }, () -> false)
                    .parse());
            assertThat(thrown).as("bit flipped at %d", at).isInstanceOf(RdbFormatException.class);
            assertThat(thrown.getMessage()).as("bit flipped at %d", at).isNotBlank();
        }
    }

    @Test
    void newerOrForeignFilesAreRefusedWithAReason() {
        assertThatThrownBy(() -> parseBytes("REDIS0013\u00ff"))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("RDB version 13 is not supported");
        assertThatThrownBy(() -> parseBytes("VALKEY080\u00ff"))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("Valkey 9");
        assertThatThrownBy(() -> parseBytes("PK\u0003\u0004 this is a zip"))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("not an RDB file");
        assertThatThrownBy(() -> parseBytes(""))
                .isInstanceOf(RdbFormatException.class).hasMessageContaining("not an RDB file");
    }

    private static void parseBytes(String content) {
        RdbParser.of(new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)), k -> { }, () -> false)
                .parse();
    }

    @Test
    void auxFieldsAndVersionAreReported() {
        for (Dump dump : dumps) {
            Map<String, String> aux = new HashMap<>();
            List<String> functions = new ArrayList<>();
            int[] version = new int[1];
            RdbParser.of(new ByteArrayInputStream(dump.file()), new io.memdoctor.rdb.format.RdbVisitor() {
                @Override
                public void version(int v) {
                    version[0] = v;
                }

                @Override
                public void aux(String key, String value) {
                    aux.put(key, value);
                }

                @Override
                public void function(String library, long bytes) {
                    functions.add(library);
                }

                @Override
                public void key(RdbKey key) {
                }
            }, () -> false).parse();
            assertThat(version[0]).isBetween(10, 12);
            assertThat(aux).containsKeys("ctime", "used-mem");
            assertThat(aux.containsKey("redis-ver") || aux.containsKey("valkey-ver")).isTrue();
            assertThat(functions).as(dump.build().label()).containsExactly("mdlib");
        }
    }
}
