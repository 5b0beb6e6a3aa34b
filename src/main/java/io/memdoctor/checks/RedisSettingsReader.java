package io.memdoctor.checks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.sync.RedisCommands;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.RedisConnections;
import org.springframework.stereotype.Component;

/**
 * Reads the few settings INFO does not show, with {@code CONFIG GET} on the instance's shared connection. A refusal
 * (CONFIG renamed away on managed services, or denied by an ACL) is an answer, not a failure: the checks that need
 * a setting say UNKNOWN and why.
 */
@Component
class RedisSettingsReader {

    /** One pattern per call: Redis before 7.0 takes a single pattern per CONFIG GET. */
    static final List<String> PATTERNS = List.of("activedefrag", "active-defrag-*", "save", "appendonly");

    private final RedisConnections connections;

    RedisSettingsReader(RedisConnections connections) {
        this.connections = connections;
    }

    RedisSettings read(Instance instance) {
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

    private static String scrub(String message, Instance instance) {
        String password = instance.url().password();
        return password == null ? message : message.replace(password, "***");
    }
}
