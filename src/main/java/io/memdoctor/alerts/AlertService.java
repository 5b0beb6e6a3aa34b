package io.memdoctor.alerts;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/** Alerts as pages and the API read them, with silences applied; acknowledgements. */
@Service
public class AlertService {

    static final int HISTORY = 500;

    private final AlertRepository repository;
    private final AlertEngine engine;
    private final ActiveAlerts active;
    private final Silences silences;
    private final Clock clock;

    AlertService(AlertRepository repository, AlertEngine engine, ActiveAlerts active, Silences silences,
            Clock clock) {
        this.repository = repository;
        this.engine = engine;
        this.active = active;
        this.silences = silences;
        this.clock = clock;
    }

    /** Newest first; {@code state} and {@code instanceId} optional. */
    public List<Alert> find(String state, String instanceId) {
        AlertState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = AlertState.valueOf(state.strip().toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("'state' must be PENDING, FIRING or RESOLVED");
            }
        }
        return repository.find(wanted, instanceId == null || instanceId.isBlank() ? null : instanceId.strip(),
                HISTORY).stream().map(this::withSilence).toList();
    }

    /** Firing now, most severe first, then oldest first (with replicas, on every instance, from the database). */
    public List<Alert> firing() {
        return active.all().stream().filter(a -> a.state() == AlertState.FIRING).map(this::withSilence)
                .sorted(Comparator.comparing(Alert::severity).thenComparing(Alert::startsAt)).toList();
    }

    /** Every firing alert, silenced or not (the Prometheus gauge shows what fires, whoever is told). */
    public List<Alert> firingAll() {
        return active.all().stream().filter(a -> a.state() == AlertState.FIRING).toList();
    }

    /**
     * The firing alerts of the instances this process evaluates (with replicas, those it samples): the ones it
     * repeats to the channels, so of several replicas one does.
     */
    public List<Alert> firingEvaluatedHere() {
        return engine.active().stream().filter(a -> a.state() == AlertState.FIRING).toList();
    }

    /**
     * The firing alerts of one instance (cards and instance pages ask on every refresh): from memory, with replicas
     * from a read of the database shared by all instances for a moment.
     */
    public List<Alert> firing(String instanceId) {
        return active.of(instanceId).stream().filter(a -> a.state() == AlertState.FIRING)
                .sorted(Comparator.comparing(Alert::severity)).map(this::withSilence).toList();
    }

    /** An alert by id, with its silence. */
    public java.util.Optional<Alert> get(long id) {
        return repository.find(id).map(this::withSilence);
    }

    /** Whether a silence covers the alert now. */
    public boolean silenced(Alert alert) {
        return silences.silenced(alert);
    }

    Alert withSilence(Alert alert) {
        return alert.active() && silences.silenced(alert) ? alert.withSilenced(true) : alert;
    }

    /** Marks an alert acknowledged: it stays, but is no longer repeated to the channels. */
    public Alert acknowledge(long id, String by) {
        if (repository.acknowledge(id, by, clock.instant()) == 0) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No alert " + id);
            throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        }
        Alert alert = repository.find(id).orElseThrow();
        engine.refresh(alert);
        active.forget();
        return withSilence(alert);
    }
}
