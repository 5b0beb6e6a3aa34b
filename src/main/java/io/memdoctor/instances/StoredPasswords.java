package io.memdoctor.instances;

import java.util.List;
import java.util.Map;

import io.memdoctor.secrets.H2Files;
import io.memdoctor.secrets.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * At start: seals the URLs with a password that earlier versions stored in clear, and opens every sealed one once,
 * so a wrong key is one clear start-up failure. Done in Java at start rather than as a Flyway migration: it needs
 * the key, which the database must never hold, and it works the same on H2 and PostgreSQL.
 */
final class StoredPasswords {

    private static final Logger log = LoggerFactory.getLogger(StoredPasswords.class);

    private final JdbcTemplate jdbc;
    private final SecretBox secrets;

    StoredPasswords(JdbcTemplate jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    /** Seals clear-text rows and checks the sealed ones; returns how many rows were sealed. */
    int sealAndCheck() {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, url FROM instance");
        int sealed = 0;
        for (Map<String, Object> row : rows) {
            String id = (String) row.get("id");
            String url = (String) row.get("url");
            if (SecretBox.isSealed(url)) {
                secrets.open(url);
                continue;
            }
            RedisUrl parsed;
            try {
                parsed = RedisUrl.of(url);
            }
            catch (IllegalArgumentException ex) {
                log.warn("Instance {} has a stored URL that no longer parses ({}); left as it is", id,
                        ex.getMessage());
                continue;
            }
            if (parsed.hasPassword()) {
                jdbc.update("UPDATE instance SET url = ? WHERE id = ?", secrets.seal(parsed.toStorageString()), id);
                sealed++;
            }
        }
        if (sealed > 0) {
            log.info("Encrypted the stored password of {} instance(s)", sealed);
            // the clear-text values are superseded, not yet erased: H2 keeps old pages until it reuses them
            H2Files.compact(jdbc.getDataSource());
        }
        H2Files.tighten(jdbc.getDataSource());
        return sealed;
    }
}
