-- The memory limit a user declares for an instance (a container's cgroup limit, or its budget on a shared host), in
-- bytes; NULL when none is declared. Redis cannot see a container's limit (INFO's total_system_memory is the host's),
-- so the ceiling is min(maxmemory, this) and RSS is judged against it. Portable SQL (H2 and PostgreSQL).
ALTER TABLE instance ADD COLUMN memory_limit BIGINT;
