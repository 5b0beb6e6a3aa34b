package io.memdoctor.checks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.memdoctor.instances.ClientList;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.redis.ClientListReader;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotHistory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Runs every check on one instance: gathers the newest sample, CONFIG GET, the recorded history and the newest scan,
 * then applies the pure rules of {@link ConfigChecks}.
 */
@Service
public class CheckService {

    /** How far back copy-on-write and OOM errors are looked for. */
    static final Duration LONG_WINDOW = Duration.ofHours(24);
    /** The recent history the growth rate and the TTL share come from. */
    static final Duration RECENT_WINDOW = Duration.ofHours(1);
    /**
     * Points per window when it holds too many raw samples: min/max buckets keep every copy-on-write peak and
     * counters stay monotonic (see {@link SnapshotHistory#window}).
     */
    static final int POINTS = 600;

    private final InstanceService instances;
    private final SnapshotHistory history;
    private final RedisSettingsReader settings;
    private final ObjectProvider<LatestScanSummary> scans;
    private final ClientListReader clientLists;
    private final Clock clock;

    CheckService(InstanceService instances, SnapshotHistory history, RedisSettingsReader settings,
            ObjectProvider<LatestScanSummary> scans, ClientListReader clientLists, Clock clock) {
        this.clientLists = clientLists;
        this.instances = instances;
        this.history = history;
        this.settings = settings;
        this.scans = scans;
        this.clock = clock;
    }

    /** Every check of the instance, in catalogue order; 404 for an unknown id. Never fails on Redis' account. */
    public List<CheckResult> check(String id) {
        Instance instance = instances.get(id);
        Instant now = clock.instant();
        Snapshot latest = history.latestOk(instance.id()).orElse(null);
        if (latest == null) {
            return ConfigChecks.evaluate(new CheckContext(null, RedisSettings.unavailable("no sample yet"),
                    HistoryFacts.NONE, java.util.Optional.empty(), now));
        }
        Instant end = now.plusMillis(1);
        List<Snapshot> day = history.window(instance.id(), end.minus(LONG_WINDOW), end, POINTS);
        List<Snapshot> hour = history.window(instance.id(), end.minus(RECENT_WINDOW), end, POINTS);
        HistoryFacts facts = HistoryFacts.of(LONG_WINDOW, day, hour);
        LatestScanSummary scanSource = scans.getIfUnique(() -> LatestScanSummary.NONE);
        ClientList clients = DoctorParityRules.wantsClientList(latest) ? clientLists.read(instance)
                : ClientList.unavailable("buffers are small: CLIENT LIST not asked");
        return ConfigChecks.evaluate(new CheckContext(latest, settings(instance), facts,
                scanSource.latest(instance.id()), now, clients, instance.memoryLimit()));
    }

    /** CONFIG GET, unless the newest sample failed: then the panel does not wait on a Redis that is not answering. */
    private RedisSettings settings(Instance instance) {
        Snapshot newest = history.latest(instance.id()).orElse(null);
        if (newest != null && !newest.isOk()) {
            return RedisSettings.unavailable("The last sample failed (" + newest.error()
                    + "); the settings are read again once a sample succeeds.");
        }
        return settings.read(instance);
    }
}
