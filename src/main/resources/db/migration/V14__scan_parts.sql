-- Where a scan ran. scanned_from: 'primary' or 'replica' as asked (NULL for scans made before: the primary).
-- cluster: whether it scanned every shard of a Redis Cluster. scan_part: one row per node a scan ran on (one for a
-- plain scan, one per shard for a cluster-wide scan), with that node's own figures: a shard that failed keeps its
-- FAILED row and error while the others keep theirs. Deleted with their scan.
ALTER TABLE scan ADD COLUMN scanned_from VARCHAR(16);
ALTER TABLE scan ADD COLUMN cluster BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE scan_part (
    scan_id       VARCHAR(36)  NOT NULL,
    part_no       INTEGER      NOT NULL,
    node          VARCHAR(300) NOT NULL,
    node_role     VARCHAR(16)  NOT NULL,
    primary_node  VARCHAR(300),
    status        VARCHAR(16)  NOT NULL,
    keys_total    BIGINT       NOT NULL,
    keys_scanned  BIGINT       NOT NULL,
    elapsed_ms    BIGINT       NOT NULL,
    error         VARCHAR(1000),
    keys_measured BIGINT,
    bytes_total   BIGINT,
    PRIMARY KEY (scan_id, part_no),
    FOREIGN KEY (scan_id) REFERENCES scan (id) ON DELETE CASCADE
);
