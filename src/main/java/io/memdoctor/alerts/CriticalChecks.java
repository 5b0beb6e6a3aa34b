package io.memdoctor.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.checks.CheckSeverity;
import io.memdoctor.config.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The CRITICAL checks of each instance for the {@code critical-check} rule, run off the thread that stores samples:
 * the checks ask Redis (CONFIG GET, maybe CLIENT LIST) and read a day of history, and one slow server must not hold up
 * the fleet's writes. When an instance's checks are due (every {@link #EVERY}) they are queued on two threads of their
 * own and the rule goes on with the last result; the new one counts from the instance's next sample.
 */
@Component
class CriticalChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CriticalChecks.class);
    /** The checks run CONFIG GET on Redis: at most this often per instance. */
    static final Duration EVERY = Duration.ofMinutes(5);
    private static final int THREADS = 2;

    private final Function<String, List<CheckResult>> checks;
    private final ExecutorService executor;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    @Autowired
    CriticalChecks(ObjectProvider<CheckService> checks) {
        this(id -> {
            CheckService service = checks.getIfAvailable();
            return service == null ? List.of() : service.check(id);
        }, Executors.newFixedThreadPool(THREADS, DaemonThreads.numbered("alert-checks-")));
    }

    CriticalChecks(Function<String, List<CheckResult>> checks, ExecutorService executor) {
        this.checks = checks;
        this.executor = executor;
    }

    /**
     * The instance's CRITICAL results of its last finished checks (none before the first), and its checks started in
     * the background when due at {@code now}. Never waits on Redis.
     */
    List<CheckResult> current(String id, Instant now) {
        State state = states.computeIfAbsent(id, key -> new State());
        synchronized (state) {
            if (!state.running && (state.startedAt == null || !now.isBefore(state.startedAt.plus(EVERY)))) {
                state.startedAt = now;
                state.running = true;
                try {
                    executor.execute(() -> run(id, state));
                }
                catch (RejectedExecutionException ex) {
                    state.running = false; // shutting down
                }
            }
            return state.results;
        }
    }

    /** The last results, without starting checks (a failed sample, or the rule is off). */
    List<CheckResult> last(String id) {
        State state = states.get(id);
        return state == null ? List.of() : state.results;
    }

    private void run(String id, State state) {
        List<CheckResult> critical = null;
        try {
            critical = checks.apply(id).stream().filter(r -> r.severity() == CheckSeverity.CRITICAL).toList();
        }
        catch (RuntimeException ex) {
            // an instance removed meanwhile, or a store error: the rule keeps the last result
            log.debug("Checks of {} for the critical-check rule failed: {}", id, ex.toString());
        }
        synchronized (state) {
            if (critical != null) {
                state.results = critical;
            }
            state.running = false;
        }
    }

    void forget(String id) {
        states.remove(id);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class State {
        Instant startedAt;
        boolean running;
        List<CheckResult> results = List.of();
    }
}
