-- Tags of an instance (env:prod, team:search, or a plain word), for grouping and filtering the overview and the
-- API. One row per tag; removed with their instance. Portable SQL (H2 and PostgreSQL).
CREATE TABLE instance_tag (
    instance_id VARCHAR(64) NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
    tag         VARCHAR(64) NOT NULL,
    PRIMARY KEY (instance_id, tag)
);
CREATE INDEX instance_tag_by_tag ON instance_tag (tag);
