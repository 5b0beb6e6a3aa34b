package io.memdoctor.instances;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisCommandExecutionException;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Asks {@code CLIENT LIST} on the instance's shared connection, for the findings and checks that name the clients
 * holding memory. A refusal (an ACL without {@code +client|list}, a managed service) is an answer: the list is
 * unavailable and says why. Answers are reused for {@link #FRESH_FOR}, since panels refresh with every sample and a
 * list of thousands of clients is not free for Redis.
 */
@Component
public class ClientListReader {

    /** How long an answer is reused. */
    static final Duration FRESH_FOR = Duration.ofSeconds(10);

    private final RedisConnections connections;
    private final Clock clock;
    private final Map<InstanceId, Answer> answers = new ConcurrentHashMap<>();

    ClientListReader(RedisConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    /** The clients of the instance, largest output buffer first, as answered within the last {@link #FRESH_FOR}. */
    public ClientList read(Instance instance) {
        Instant now = clock.instant();
        Answer cached = answers.get(instance.id());
        if (cached != null && cached.at().plus(FRESH_FOR).isAfter(now)) {
            return cached.list();
        }
        ClientList list = ask(instance);
        answers.put(instance.id(), new Answer(list, now));
        return list;
    }

    @EventListener
    void forget(InstanceRemoved event) {
        answers.remove(event.id());
    }

    private ClientList ask(Instance instance) {
        try {
            return connections.withConnection(instance, connection -> {
                try {
                    return ClientList.parse(connection.sync().clientList());
                }
                catch (RedisCommandExecutionException refused) {
                    // caught inside: a refused command leaves the shared connection healthy
                    return ClientList.unavailable("Redis refused CLIENT LIST (" + refused.getMessage()
                            + "); allow it with: ACL SETUSER <user> +client|list");
                }
            });
        }
        catch (RuntimeException ex) {
            String message = ex.getMessage() == null ? "" : " (" + scrub(ex.getMessage(), instance) + ")";
            return ClientList.unavailable("Redis did not answer CLIENT LIST: " + ex.getClass().getSimpleName() + message);
        }
    }

    private static String scrub(String message, Instance instance) {
        String password = instance.url().password();
        return password == null ? message : message.replace(password, "***");
    }

    private record Answer(ClientList list, Instant at) {
    }
}
