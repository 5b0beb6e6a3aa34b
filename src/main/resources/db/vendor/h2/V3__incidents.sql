-- Incidents: everything captured at one moment (Redis facts, checks, diagnosis, the window's samples, the scan) as
-- one JSON document, read whole; the columns are what lists and links need. Imported incidents are read-only copies
-- of another dashboard's export. Notes are the timeline people write while they work. Times are epoch milliseconds.
CREATE TABLE incident (
    id            VARCHAR(36)   PRIMARY KEY,
    instance_id   VARCHAR(64)   NOT NULL,
    instance_name VARCHAR(200)  NOT NULL,
    instance_url  VARCHAR(600)  NOT NULL,
    title         VARCHAR(200)  NOT NULL,
    note          VARCHAR(4000),
    captured_at   BIGINT        NOT NULL,
    window_from   BIGINT        NOT NULL,
    window_to     BIGINT        NOT NULL,
    verdict       VARCHAR(32),
    imported      BOOLEAN       NOT NULL,
    source        VARCHAR(600),
    scan_id       VARCHAR(36),
    capture       CHARACTER LARGE OBJECT NOT NULL
);
CREATE INDEX incident_captured ON incident (captured_at);

CREATE TABLE incident_note (
    id          BIGINT        AUTO_INCREMENT PRIMARY KEY,
    incident_id VARCHAR(36)   NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    at          BIGINT        NOT NULL,
    author      VARCHAR(100),
    text        VARCHAR(2000) NOT NULL,
    created_at  BIGINT        NOT NULL
);
CREATE INDEX incident_note_incident ON incident_note (incident_id, at);
