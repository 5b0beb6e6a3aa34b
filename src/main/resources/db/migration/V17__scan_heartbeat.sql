-- Scans shared by several dashboard replicas: the replica running a scan writes its progress and a heartbeat every
-- few seconds; another replica shows that progress, asks for a cancel through cancel_requested, and marks a scan
-- INTERRUPTED only once its heartbeat is stale (its replica died), never while its replica lives.
ALTER TABLE scan ADD COLUMN owner VARCHAR(100);
ALTER TABLE scan ADD COLUMN heartbeat_at BIGINT;
ALTER TABLE scan ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
