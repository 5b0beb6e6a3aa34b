package io.memdoctor.checks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.sync.RedisCommands;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.instances.RedisConnections;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reads the few settings INFO does not show, with {@code CONFIG GET} on the instance's shared connection. A refusal
 * (CONFIG renamed away on managed services, or denied by an ACL) is an answer, not a failure: the checks that need
 * a setting say UNKNOWN and why.
 *
 * <p>Answers are kept for {@link #FRESH_FOR}: the checks panel refreshes with every sample and several viewers may
 * have it open, and these settings rarely change, so Redis is asked at most twice a minute, and a panel never waits
 * on a slow Redis more than once in that time.
 */
@Component
class RedisSettingsReader {

    /** One pattern per call: Redis before 7.0 takes a single pattern per CONFIG GET. */
    static final List<String> PATTERNS = List.of("activedefrag", "active-defrag-*", "save", "appendonly");

    /** How long an answer (values, a refusal or a failure) is reused. */
    static final Duration FRESH_FOR = Duration.ofSeconds(30);

    private final RedisConnections connections;
    private final Clock clock;
    private final Map<InstanceId, Answer> answers = new ConcurrentHashMap<>();

    RedisSettingsReader(RedisConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    /** The instance's settings as CONFIG GET answered them within the last {@link #FRESH_FOR}. */
    RedisSettings read(Instance instance) {
        Instant now = clock.instant();
        Answer cached = answers.get(instance.id());
        if (cached != null && cached.at().plus(FRESH_FOR).isAfter(now)) {
            return cached.settings();
        }
        RedisSettings settings = ask(instance);
        answers.put(instance.id(), new Answer(settings, now));
        return settings;
    }

    @EventListener
    void forget(InstanceRemoved event) {
        answers.remove(event.id());
    }

    private RedisSettings ask(Instance instance) {
        try {
            return connections.withConnection(instance, connection -> {
                RedisCommands<String, String> commands = connection.sync();
                Map<String, String> values = new HashMap<>();
                try {
                    for (String pattern : PATTERNS) {
                        values.putAll(commands.configGet(pattern));
                    }
                }
                catch (RedisCommandExecutionException refused) {
                    // caught inside: a refused command leaves the shared connection healthy, so it must not be closed
                    return RedisSettings.unavailable("Redis refused CONFIG GET (" + refused.getMessage()
                            + "): renamed or disabled on managed services, or denied by an ACL."
                            + " Allow it with: ACL SETUSER <user> +config|get");
                }
                return RedisSettings.of(values);
            });
        }
        catch (RuntimeException ex) {
            return RedisSettings.unavailable("Redis did not answer CONFIG GET: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : " (" + scrub(ex.getMessage(), instance) + ")"));
        }
    }

    private record Answer(RedisSettings settings, Instant at) {
    }

    private static String scrub(String message, Instance instance) {
        String password = instance.url().password();
        return password == null ? message : message.replace(password, "***");
    }
}
