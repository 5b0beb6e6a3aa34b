-- At most one active (PENDING or FIRING) alert per instance and rule, whichever replica inserts it: a replica that
-- loses the race gets a unique violation and takes the stored one. Duplicates that replicas left before this version
-- are ended first: an older FIRING one is resolved when the newer began, an older PENDING one (never told) deleted.
-- PostgreSQL has partial indexes; H2 (single process) gets the same rule through a generated column
-- (db/vendor/h2/V23__one_active_alert.sql).
UPDATE alert SET state = 'RESOLVED', ends_at = (SELECT MIN(newer.starts_at) FROM alert newer
        WHERE newer.instance_id = alert.instance_id AND newer.rule = alert.rule AND newer.state <> 'RESOLVED'
        AND newer.id > alert.id)
    WHERE state = 'FIRING' AND EXISTS (SELECT 1 FROM alert newer WHERE newer.instance_id = alert.instance_id
        AND newer.rule = alert.rule AND newer.state <> 'RESOLVED' AND newer.id > alert.id);
DELETE FROM alert WHERE state = 'PENDING' AND EXISTS (SELECT 1 FROM alert newer
    WHERE newer.instance_id = alert.instance_id AND newer.rule = alert.rule AND newer.state <> 'RESOLVED'
    AND newer.id > alert.id);
-- also what every replica reads for the pages' active alerts (WHERE state <> 'RESOLVED')
CREATE UNIQUE INDEX alert_one_active ON alert (instance_id, rule) WHERE state <> 'RESOLVED';
-- a replica that takes an instance over finds when each firing alert was last queued, to repeat it on time
CREATE INDEX alert_delivery_alert ON alert_delivery (alert_id, channel, created_at);
