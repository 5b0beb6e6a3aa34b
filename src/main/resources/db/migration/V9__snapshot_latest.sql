-- The newest state of each instance in one row, so the overview of 1,000 instances is one read of 1,000 rows
-- instead of three index lookups per instance into the history: status, time and reason of the newest sample,
-- when the current outage began (down_since), and every metric of the newest successful sample (ok_at).
-- Kept by SnapshotRepository on each save; a migration that adds a metric adds its column here too.
CREATE TABLE snapshot_latest AS SELECT * FROM snapshot WITH NO DATA;
ALTER TABLE snapshot_latest ALTER COLUMN instance_id SET NOT NULL;
ALTER TABLE snapshot_latest ALTER COLUMN sampled_at SET NOT NULL;
ALTER TABLE snapshot_latest ALTER COLUMN status SET NOT NULL;
ALTER TABLE snapshot_latest ADD COLUMN ok_at BIGINT;
ALTER TABLE snapshot_latest ADD COLUMN down_since BIGINT;
ALTER TABLE snapshot_latest ADD PRIMARY KEY (instance_id);
