package io.memdoctor.instances;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The memory limits users declare ({@link MemoryLimit}): set here, and read here by what runs per sample (the alert
 * rules) or per forecast. Reads come from memory: every declared limit in one query at most every
 * {@link #FRESH} (so another replica's change shows within that), this process' own changes at once. One query per
 * sample would be 1,000 queries a second for a fleet sampled every second.
 */
@Service
public class MemoryLimits {

    static final Duration FRESH = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(MemoryLimits.class);

    private final InstanceRepository repository;
    private final InstanceService instances;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private volatile Read read;

    MemoryLimits(InstanceRepository repository, InstanceService instances, ApplicationEventPublisher events,
            Clock clock) {
        this.repository = repository;
        this.instances = instances;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Declares (or, with {@code null}, clears) the instance's memory limit; a configured instance gets its configured
     * limit back at the next start. For a cluster, the limit of each node's container: its nodes get it too (and
     * nodes found later). 400 for 0, a negative or an absurd value ({@link MemoryLimit}), 404 for no such.
     */
    @Transactional
    public Instance declare(String id, Long bytes) {
        Instance instance = instances.get(id);
        Long valid = MemoryLimit.valid(bytes);
        repository.updateMemoryLimit(instance.id(), valid);
        read = null;
        log.info("Memory limit of {}: {}", instance.id(), valid == null ? "none" : valid + " bytes");
        events.publishEvent(new MemoryLimitChanged(instance.id()));
        if (instance.kind() == Instance.Kind.CLUSTER) {
            repository.findNodes(instance.id()).forEach(node -> events.publishEvent(new MemoryLimitChanged(node.id())));
        }
        return instance.withMemoryLimit(valid);
    }

    /** The instance's declared memory limit in bytes, at most {@link #FRESH} old; empty for none. */
    public Optional<Long> of(InstanceId id) {
        return Optional.ofNullable(current().limits().get(id));
    }

    private Read current() {
        Read now = read;
        Instant at = clock.instant();
        if (now != null && now.at().plus(FRESH).isAfter(at)) {
            return now;
        }
        synchronized (this) {
            now = read;
            if (now == null || !now.at().plus(FRESH).isAfter(at)) {
                now = new Read(at, Map.copyOf(repository.memoryLimits()));
                read = now;
            }
            return now;
        }
    }

    private record Read(Instant at, Map<InstanceId, Long> limits) {
    }
}
