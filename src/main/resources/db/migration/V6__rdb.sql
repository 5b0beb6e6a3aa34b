-- Offline RDB analyses that have ended (running ones are kept in memory and written when they end, so a row
-- never stays RUNNING). report is JSON text read whole: bounded (top N keys, capped patterns).
-- Times are epoch milliseconds (UTC). Portable to PostgreSQL.
CREATE TABLE rdb_analysis (
    id          VARCHAR(36)   PRIMARY KEY,
    source      VARCHAR(300)  NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    started_at  BIGINT        NOT NULL,
    ended_at    BIGINT,
    bytes_total BIGINT        NOT NULL,
    bytes_read  BIGINT        NOT NULL,
    keys_read   BIGINT        NOT NULL,
    elapsed_ms  BIGINT        NOT NULL,
    error       VARCHAR(2000),
    report      TEXT
);
CREATE INDEX rdb_analysis_started ON rdb_analysis (started_at);
