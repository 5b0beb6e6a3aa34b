-- The minute's housekeeping rolls up and expires every instance at once (snapshots.SnapshotRetention), by time:
-- "the samples of the last minute", "the rows older than 90 days". The primary keys start with instance_id, so
-- without these indexes each such statement would read the whole table. instance_id is in each index too, so the
-- counts and lists of instances of a time range are answered from the index alone.
CREATE INDEX snapshot_sampled_at ON snapshot (sampled_at, instance_id);
CREATE INDEX snapshot_minute_start ON snapshot_minute (minute_start, instance_id);
CREATE INDEX snapshot_ten_minute_start ON snapshot_ten_minute (minute_start, instance_id);
CREATE INDEX snapshot_hour_start ON snapshot_hour (minute_start, instance_id);
