package io.memdoctor.replicas;

import java.time.Duration;

import io.memdoctor.instances.InstanceId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One lease per instance in the {@code sampling_lease} table: the replica holding an unexpired lease is the only one
 * that samples the instance. {@link #claim} renews a lease this replica holds or takes one that expired, in one
 * conditional UPDATE, so two replicas asking at the same moment cannot both win; the first claim of an instance is
 * an INSERT that only one replica can make. Expiry is compared with the database's clock, not the replicas'.
 */
public class SamplingLeases {

    private static final String NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    private static final String RENEW_OR_TAKE = "UPDATE sampling_lease SET owner = ?, expires_at = " + NOW
            + " + ? WHERE instance_id = ? AND (owner = ? OR expires_at < " + NOW + ")";
    private static final String RENEW = "UPDATE sampling_lease SET expires_at = " + NOW + " + ? WHERE instance_id = ?"
            + " AND owner = ? AND expires_at >= " + NOW;
    private static final String FIRST = "INSERT INTO sampling_lease (instance_id, owner, expires_at) VALUES (?, ?, "
            + NOW + " + ?)";

    private final JdbcTemplate jdbc;
    private final String owner;
    private final long leaseMillis;

    /**
     * @param owner this replica's id
     * @param lease how long a claim holds without renewal
     */
    public SamplingLeases(JdbcTemplate jdbc, String owner, Duration lease) {
        this.jdbc = jdbc;
        this.owner = owner;
        this.leaseMillis = lease.toMillis();
    }

    /** True when this replica holds the instance's lease now (renewed or newly taken) and should sample it. */
    public boolean claim(InstanceId id) {
        if (jdbc.update(RENEW_OR_TAKE, owner, leaseMillis, id.value(), owner) == 1) {
            return true;
        }
        return claimFirst(id);
    }

    /** Renews the lease if this replica holds it and it has not expired (a lease handed over stays so); takes nothing. */
    public boolean renew(InstanceId id) {
        return jdbc.update(RENEW, leaseMillis, id.value(), owner) == 1;
    }

    /**
     * Hands one lease over (this replica holds more than its share): it expires {@code within} from now, after this
     * replica's sample at this tick and before the next tick, where another replica takes it. Given up at once
     * instead, it was free at this tick too: another replica that had asked a moment before found it taken, and the
     * instance went unsampled for that interval.
     */
    public void handOver(InstanceId id, Duration within) {
        jdbc.update("UPDATE sampling_lease SET expires_at = " + NOW + " + ? WHERE instance_id = ? AND owner = ?",
                within.toMillis(), id.value(), owner);
    }

    /** Records that this replica is alive and returns how many replicas ticked within {@code window}. */
    public int heartbeat(Duration window) {
        if (jdbc.update("UPDATE sampling_replica SET seen_at = " + NOW + " WHERE id = ?", owner) == 0) {
            try {
                jdbc.update("INSERT INTO sampling_replica (id, seen_at) VALUES (?, " + NOW + ")", owner);
            }
            catch (DuplicateKeyException ex) {
                // inserted meanwhile by this replica's previous tick
            }
        }
        Integer alive = jdbc.queryForObject("SELECT COUNT(*) FROM sampling_replica WHERE seen_at > " + NOW + " - ?",
                Integer.class, window.toMillis());
        return alive == null || alive < 1 ? 1 : alive;
    }

    private boolean claimFirst(InstanceId id) {
        try {
            return jdbc.update(FIRST, id.value(), owner, leaseMillis) == 1;
        }
        catch (DuplicateKeyException ex) {
            // another replica holds it
            return false;
        }
    }

    /** Gives up every lease of this replica, so the others take its instances at their next tick. */
    public int releaseAll() {
        jdbc.update("DELETE FROM sampling_replica WHERE id = ?", owner);
        return jdbc.update("UPDATE sampling_lease SET expires_at = 0 WHERE owner = ?", owner);
    }

    /** Forgets a removed instance's lease. */
    public void forget(InstanceId id) {
        jdbc.update("DELETE FROM sampling_lease WHERE instance_id = ?", id.value());
    }

    public String owner() {
        return owner;
    }
}
