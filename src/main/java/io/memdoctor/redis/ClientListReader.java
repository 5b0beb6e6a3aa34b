package io.memdoctor.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.memdoctor.instances.ClientList;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceRemoved;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Asks {@code CLIENT LIST} through the gateway, on the instance's shared connection, for the findings and checks that name the clients
 * holding memory. A refusal (an ACL without {@code +client|list}, a managed service) is an answer: the list is
 * unavailable and says why. Answers are reused for {@link #FRESH_FOR}, since panels refresh with every sample and a
 * list of thousands of clients is not free for Redis.
 */
@Component
public class ClientListReader {

    /** How long an answer is reused. */
    static final Duration FRESH_FOR = Duration.ofSeconds(10);

    private final RedisGateway gateway;
    private final Clock clock;
    private final Map<InstanceId, Answer> answers = new ConcurrentHashMap<>();

    ClientListReader(RedisGateway gateway, Clock clock) {
        this.gateway = gateway;
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
            return ClientList.parse(gateway.clientList(instance));
        }
        catch (RedisFailure failure) {
            if (failure.refused()) {
                return ClientList.unavailable("Redis refused CLIENT LIST (" + failure.reason()
                        + "); allow it with: ACL SETUSER <user> +client|list");
            }
            return ClientList.unavailable("Redis did not answer CLIENT LIST: " + failure.reason());
        }
    }

    private record Answer(ClientList list, Instant at) {
    }
}
