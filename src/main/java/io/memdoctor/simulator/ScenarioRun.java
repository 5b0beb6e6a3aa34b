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
    private final Noise noise;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisConnection<String, String> noiseConnection;
    private final Load load;
    private final Load noiseLoad;
    private volatile boolean running = true;
    private Thread thread;
    private Thread noiseThread;

    private ScenarioRun(Scenario scenario, Workload workload, LocalRedisServer server, Noise noise) {
        this.scenario = scenario;
        this.workload = workload;
        this.noise = noise;
        this.client = RedisClient.create();
        // a restart is part of that noise: the connections come back to the same process' successor on this port
        this.client.setOptions(ClientOptions.builder().autoReconnect(noise == Noise.RESTART)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(30))).build());
        this.connection = client.connect(StringCodec.UTF8, RedisURI.create("127.0.0.1", server.port()));
        this.load = new Load(connection, () -> running, server);
        String pid = load.infoField("server", "process_id");
        if (pid == null || Long.parseLong(pid) != server.pid()) {
            this.noiseConnection = null;
            this.noiseLoad = null;
            close();
            throw new IllegalStateException("the Redis on port " + server.port() + " is not the one the simulator started");
        }
        this.noiseConnection = noise == Noise.NONE ? null
                : client.connect(StringCodec.UTF8, RedisURI.create("127.0.0.1", server.port()));
        this.noiseLoad = noiseConnection == null ? null : new Load(noiseConnection, () -> running, server);
    }

    /**
     * Connects to a server the simulator started (with {@link Scenario#serverArgs()}) and loads the scenario's
     * starting data. Blocks until loaded.
     */
    public static ScenarioRun prepare(Scenario scenario, LocalRedisServer server) {
        return prepare(scenario, server, Noise.NONE);
    }

    /** As {@link #prepare(Scenario, LocalRedisServer)}, with {@code noise} run beside the incident. */
    public static ScenarioRun prepare(Scenario scenario, LocalRedisServer server, Noise noise) {
        ScenarioRun run = new ScenarioRun(scenario, scenario.newWorkload(), server, noise);
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
        if (noiseLoad != null) {
            noiseThread = new Thread(() -> {
                try {
                    noise.run(noiseLoad);
                }
                catch (RuntimeException ex) {
                    if (running) {
                        log.warn("Noise {} of {} stopped: {}", noise.id(), scenario.id(), ex.getMessage());
                    }
                }
            }, "noise-" + noise.id());
            noiseThread.setDaemon(true);
            noiseThread.start();
        }
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
        for (Thread t : new Thread[] {thread, noiseThread}) {
            if (t != null) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(35));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        workload.close();
        if (noiseConnection != null) {
            noiseConnection.close();
        }
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
