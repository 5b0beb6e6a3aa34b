-- Several dashboard replicas on one database (memdoctor.replicas.enabled). sampling_lease: which replica samples
-- an instance, until when (epoch milliseconds of the database clock); a replica renews its leases at each tick and
-- takes over leases that expired. sampling_replica: each replica's last tick, so each knows how many are alive and
-- holds no more than its share of the instances. shedlock: ShedLock's table, so a scheduled job (retention, alert evaluation) runs
-- on one replica at a time.
CREATE TABLE sampling_lease (
    instance_id VARCHAR(64) PRIMARY KEY,
    owner       VARCHAR(100) NOT NULL,
    expires_at  BIGINT       NOT NULL
);

CREATE TABLE sampling_replica (
    id      VARCHAR(100) PRIMARY KEY,
    seen_at BIGINT       NOT NULL
);

CREATE TABLE shedlock (
    name       VARCHAR(64)  PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
