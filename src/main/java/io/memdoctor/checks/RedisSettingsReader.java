package io.memdoctor.checks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import io.memdoctor.redis.RedisFailure;
import io.memdoctor.redis.RedisGateway;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reads the few settings INFO does not show, with {@code CONFIG GET} through the gateway. A refusal
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

    private final RedisGateway gateway;
    private final Clock clock;
    private final Map<InstanceId, Answer> answers = new ConcurrentHashMap<>();
    private final Map<InstanceId, Object> asking = new ConcurrentHashMap<>();

    RedisSettingsReader(RedisGateway gateway, Clock clock) {
        this.gateway = gateway;
        this.clock = clock;
    }

    /** The instance's settings as CONFIG GET answered them within the last {@link #FRESH_FOR}. */
    RedisSettings read(Instance instance) {
        RedisSettings fresh = fresh(instance.id());
        if (fresh != null) {
            return fresh;
        }
        // one question at a time per instance: a caller that waited here (the critical-check rule's thread and a
        // panel at once) takes the answer the other just got instead of asking again
        synchronized (asking.computeIfAbsent(instance.id(), id -> new Object())) {
            fresh = fresh(instance.id());
            if (fresh != null) {
                return fresh;
            }
            Instant now = clock.instant();
            RedisSettings settings = ask(instance);
            answers.put(instance.id(), new Answer(settings, now));
            return settings;
        }
    }

    private RedisSettings fresh(InstanceId id) {
        Answer cached = answers.get(id);
        return cached != null && cached.at().plus(FRESH_FOR).isAfter(clock.instant()) ? cached.settings() : null;
    }

    @EventListener
    void forget(InstanceRemoved event) {
        answers.remove(event.id());
        asking.remove(event.id());
    }

    private RedisSettings ask(Instance instance) {
        Map<String, String> values = new HashMap<>();
        try {
            for (String pattern : PATTERNS) {
                values.putAll(gateway.configGet(instance, pattern));
            }
            return RedisSettings.of(values);
        }
        catch (RedisFailure failure) {
            if (failure.refused()) {
                return RedisSettings.unavailable("Redis refused CONFIG GET (" + failure.reason()
                        + "): renamed or disabled on managed services, or denied by an ACL."
                        + " Allow it with: ACL SETUSER <user> +config|get");
            }
            return RedisSettings.unavailable("Redis did not answer CONFIG GET: " + failure.reason());
        }
    }

    private record Answer(RedisSettings settings, Instant at) {
    }
}
