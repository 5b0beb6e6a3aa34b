package io.memdoctor.diagnosis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.memdoctor.instances.ClientList;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.redis.ClientListReader;
import io.memdoctor.snapshots.HistoryRange;
import io.memdoctor.snapshots.SnapshotHistory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Diagnoses an instance over a time range from its recorded history. Talks to Redis only to name the clients
 * holding output buffers ({@code CLIENT LIST}), and only when that is a finding of a range that ends now.
 */
@Service
@EnableConfigurationProperties(DiagnosisProperties.class)
public class DiagnosisService {

    /** Points read for a range too long for raw samples: min/max buckets keep every spike and every fork. */
    static final int POINTS = 2000;

    /** A range that ends this close to now is "now": CLIENT LIST describes it. */
    static final Duration NOW = Duration.ofMinutes(1);

    private final InstanceService instances;
    private final SnapshotHistory history;
    private final ClientListReader clients;
    private final Duration minClimb;
    private final Clock clock;

    DiagnosisService(InstanceService instances, SnapshotHistory history, ClientListReader clients,
            DiagnosisProperties properties, Clock clock) {
        this.minClimb = properties.minClimb();
        this.instances = instances;
        this.history = history;
        this.clients = clients;
        this.clock = clock;
    }

    /**
     * The diagnosis of {@code [from, to)}; {@code null}s default to the last hour.
     *
     * @throws IllegalArgumentException for a range that is empty, reversed or too long (400)
     */
    public Diagnosis diagnose(String id, Instant from, Instant to) {
        Instance instance = instances.get(id);
        HistoryRange range = HistoryRange.of(from, to, POINTS, clock);
        var points = history.window(instance.id(), range.from(), range.to(), range.maxPoints());
        boolean endsNow = !range.to().isBefore(clock.instant().minus(NOW));
        return Diagnoser.diagnose(points, range.from(), range.to(), cli(instance.url()), () -> endsNow
                ? clients.read(instance)
                : ClientList.unavailable("the range ended at " + range.to() + "; CLIENT LIST shows only the clients"
                        + " connected now."), minClimb, instance.memoryLimit());
    }

    /** redis-cli arguments that reach this instance; the password is asked for, never printed. */
    static String cli(RedisUrl url) {
        StringBuilder cli = new StringBuilder("redis-cli -h ").append(url.host()).append(" -p ").append(url.port());
        if (url.database() != 0) {
            cli.append(" -n ").append(url.database());
        }
        if (url.tls()) {
            cli.append(" --tls");
        }
        if (url.hasPassword()) {
            cli.append(" --askpass");
        }
        return cli.toString();
    }
}
