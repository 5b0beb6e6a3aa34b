package io.memdoctor.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The active alerts the pages, the API and the Prometheus gauge show. A single dashboard answers from the engine's
 * memory; with replicas each engine holds only the instances it samples, so every replica reads them all from the
 * database (one query, on PostgreSQL through the partial index {@code alert_one_active}), kept {@link #FRESH} and
 * dropped at once on a transition or an acknowledgement made here: every replica shows the same alerts.
 */
@Component
class ActiveAlerts {

    static final Duration FRESH = Duration.ofSeconds(2);

    private final AlertEngine engine;
    private final AlertRepository repository;
    private volatile Read read;

    private record Read(long atNanos, List<Alert> all, Map<String, List<Alert>> byInstance) {
    }

    ActiveAlerts(AlertEngine engine, AlertRepository repository) {
        this.engine = engine;
        this.repository = repository;
    }

    List<Alert> all() {
        return engine.shared() ? stored().all() : engine.active();
    }

    List<Alert> of(String instanceId) {
        return engine.shared() ? stored().byInstance().getOrDefault(instanceId, List.of())
                : engine.active(instanceId);
    }

    private Read stored() {
        Read current = read;
        if (current == null || System.nanoTime() - current.atNanos() > FRESH.toNanos()) {
            List<Alert> all = repository.active();
            current = new Read(System.nanoTime(), all,
                    all.stream().collect(Collectors.groupingBy(Alert::instanceId)));
            read = current;
        }
        return current;
    }

    @EventListener
    void onTransition(AlertTransition event) {
        forget();
    }

    void forget() {
        read = null;
    }
}
