-- 10-minute and hourly rollups, so that a chart of any range reads at most a few thousand rows per instance
-- (a 30-day chart: 720 hourly rows instead of 43,200 minutes). Same columns as snapshot_minute; minute_start is
-- the start of the row's 10 minutes or hour. Each level is rolled up from the one below: min of minima, max of
-- maxima, averages weighted by ok_samples. A migration that adds a metric adds its rollup columns to all three.
-- CREATE TABLE ... AS ... WITH NO DATA copies the columns (not their NOT NULL) on H2 and PostgreSQL alike.
CREATE TABLE snapshot_ten_minute AS SELECT * FROM snapshot_minute WITH NO DATA;
ALTER TABLE snapshot_ten_minute ALTER COLUMN instance_id SET NOT NULL;
ALTER TABLE snapshot_ten_minute ALTER COLUMN minute_start SET NOT NULL;
ALTER TABLE snapshot_ten_minute ALTER COLUMN first_at SET NOT NULL;
ALTER TABLE snapshot_ten_minute ALTER COLUMN last_at SET NOT NULL;
ALTER TABLE snapshot_ten_minute ALTER COLUMN samples SET NOT NULL;
ALTER TABLE snapshot_ten_minute ALTER COLUMN ok_samples SET NOT NULL;
ALTER TABLE snapshot_ten_minute ADD PRIMARY KEY (instance_id, minute_start);
CREATE TABLE snapshot_hour AS SELECT * FROM snapshot_minute WITH NO DATA;
ALTER TABLE snapshot_hour ALTER COLUMN instance_id SET NOT NULL;
ALTER TABLE snapshot_hour ALTER COLUMN minute_start SET NOT NULL;
ALTER TABLE snapshot_hour ALTER COLUMN first_at SET NOT NULL;
ALTER TABLE snapshot_hour ALTER COLUMN last_at SET NOT NULL;
ALTER TABLE snapshot_hour ALTER COLUMN samples SET NOT NULL;
ALTER TABLE snapshot_hour ALTER COLUMN ok_samples SET NOT NULL;
ALTER TABLE snapshot_hour ADD PRIMARY KEY (instance_id, minute_start);
