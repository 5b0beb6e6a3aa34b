package io.memdoctor.simulator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scenario driving one {@link LocalRedisServer}: {@link #prepare} loads the data a production instance would
 * already hold, {@link #start} runs the incident on a background thread until {@link #close}.
 *
 * <p>Before the first write it checks that the server it reached is the process it started ({@code process_id} in
 * INFO), so a port taken over by another Redis is never written to.
 */
public final class ScenarioRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScenarioRun.class);

    private final Scenario scenario;
    private final Workload workload;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Load load;
    private volatile boolean running = true;
    private Thread thread;

    private ScenarioRun(Scenario scenario, Workload workload, LocalRedisServer server) {
        this.scenario = scenario;
        this.workload = workload;
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder().autoReconnect(false)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(30))).build());
        this.connection = client.connect(StringCodec.UTF8, RedisURI.create("127.0.0.1", server.port()));
        this.load = new Load(connection, () -> running);
        String pid = load.infoField("server", "process_id");
        if (pid == null || Long.parseLong(pid) != server.pid()) {
            close();
            throw new IllegalStateException("the Redis on port " + server.port() + " is not the one the simulator started");
        }
    }

    /**
     * Connects to a server the simulator started (with {@link Scenario#serverArgs()}) and loads the scenario's
     * starting data. Blocks until loaded.
     */
    public static ScenarioRun prepare(Scenario scenario, LocalRedisServer server) {
        ScenarioRun run = new ScenarioRun(scenario, scenario.newWorkload(), server);
        try {
            run.workload.prepare(run.load);
        }
        catch (RuntimeException ex) {
            run.close();
            throw ex;
        }
        return run;
    }

    /** Starts the incident on a background thread. */
    public ScenarioRun start() {
        thread = new Thread(() -> {
            try {
                workload.run(load);
            }
            catch (RuntimeException ex) {
                if (running) {
                    log.warn("Scenario {} stopped: {}", scenario.id(), ex.getMessage());
                }
            }
        }, "scenario-" + scenario.id());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    public Scenario scenario() {
        return scenario;
    }

    /** Whether the incident is still being driven. */
    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /** Commands Redis refused so far (OOM errors, in the maxmemory scenario). */
    public long refused() {
        return load.refused();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(35));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
