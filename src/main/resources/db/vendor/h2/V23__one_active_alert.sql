-- At most one active (PENDING or FIRING) alert per instance and rule (see db/vendor/postgresql/V23__one_active_alert.sql,
-- a partial index there). H2 has no partial index: a generated column that is NULL once the alert is resolved
-- (a unique index admits any number of NULLs) carries the rule instead.
UPDATE alert SET state = 'RESOLVED', ends_at = (SELECT MIN(newer.starts_at) FROM alert newer
        WHERE newer.instance_id = alert.instance_id AND newer.rule = alert.rule AND newer.state <> 'RESOLVED'
        AND newer.id > alert.id)
    WHERE state = 'FIRING' AND EXISTS (SELECT 1 FROM alert newer WHERE newer.instance_id = alert.instance_id
        AND newer.rule = alert.rule AND newer.state <> 'RESOLVED' AND newer.id > alert.id);
DELETE FROM alert WHERE state = 'PENDING' AND EXISTS (SELECT 1 FROM alert newer
    WHERE newer.instance_id = alert.instance_id AND newer.rule = alert.rule AND newer.state <> 'RESOLVED'
    AND newer.id > alert.id);
ALTER TABLE alert ADD COLUMN active_key VARCHAR(400) GENERATED ALWAYS AS
    (CASE WHEN state <> 'RESOLVED' THEN instance_id || ' ' || rule END);
CREATE UNIQUE INDEX alert_one_active ON alert (active_key);
CREATE INDEX alert_delivery_alert ON alert_delivery (alert_id, channel, created_at);
