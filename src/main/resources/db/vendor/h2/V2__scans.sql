-- Keyspace scans. A row is written when a scan starts (status RUNNING) and completed when it ends; rows still
-- RUNNING at the next start belonged to a dashboard that stopped mid-scan and are marked INTERRUPTED.
-- parameters and results are JSON text, read whole: results are bounded (top N keys, capped patterns).
-- Times are epoch milliseconds (UTC).
CREATE TABLE scan (
    id            VARCHAR(36)  PRIMARY KEY,
    instance_id   VARCHAR(64)  NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    parameters    CHARACTER LARGE OBJECT NOT NULL,
    started_at    BIGINT       NOT NULL,
    ended_at      BIGINT,
    keys_total    BIGINT       NOT NULL,
    keys_scanned  BIGINT       NOT NULL,
    elapsed_ms    BIGINT       NOT NULL,
    error         VARCHAR(1000),
    keys_measured BIGINT,
    bytes_total   BIGINT,
    results       CHARACTER LARGE OBJECT
);
CREATE INDEX scan_instance ON scan (instance_id, started_at);
CREATE INDEX scan_status ON scan (status);
