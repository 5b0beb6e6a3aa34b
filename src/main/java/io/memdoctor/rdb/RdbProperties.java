package io.memdoctor.rdb;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code memdoctor.rdb.*}.
 *
 * @param directory a server directory whose RDB files operators may analyse in place (backups, a replica's
 *     dump); nothing outside it is reachable; unset: uploads only
 * @param maxUploadSize the largest upload accepted (streamed to disk under the data dir, never into memory)
 * @param keep ended analyses kept; older ones are deleted when one ends
 * @param topN biggest keys kept per analysis
 * @param maxPatterns key patterns kept per analysis; the rest are added up in "(other)"
 */
@ConfigurationProperties("memdoctor.rdb")
public record RdbProperties(
        Path directory,
        @DefaultValue("16GB") DataSize maxUploadSize,
        @DefaultValue("50") int keep,
        @DefaultValue("100") int topN,
        @DefaultValue("1000") int maxPatterns) {

    public RdbProperties {
        if (maxUploadSize.toBytes() < 1 || keep < 1 || topN < 1 || topN > 10_000 || maxPatterns < 1) {
            throw new IllegalArgumentException("memdoctor.rdb.max-upload-size, keep, top-n (1 to 10000) and"
                    + " max-patterns must be positive");
        }
    }
}
