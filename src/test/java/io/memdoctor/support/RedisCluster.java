package io.memdoctor.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.memdoctor.simulator.LocalRedisServer;

/**
 * A real Redis Cluster for one test class: six {@code redis-server --cluster-enabled yes} on free loopback ports,
 * joined by {@code redis-cli --cluster create ... --cluster-replicas 1}: three primaries, each with one replica.
 * Start it once per class ({@code @BeforeAll}), close it after ({@code @AfterAll}). Takes one to three seconds.
 *
 * <p>{@link #startValkey()} and {@link #startWith(String)} do the same with a binary of
 * {@code ../shared/redis-builds/} when it is there (the caller skips otherwise, see {@link #build(String)}).
 */
public final class RedisCluster implements AutoCloseable {

    private static final int SIZE = 6;

    private static final List<String> CLUSTER_ARGS = List.of("--cluster-enabled", "yes", "--cluster-config-file",
            "nodes.conf", "--cluster-node-timeout", "3000");

    private final List<LocalRedisServer> servers;
    private final Path binary;
    private final List<String> args;

    private RedisCluster(List<LocalRedisServer> servers, Path binary, List<String> args) {
        this.servers = new ArrayList<>(servers);
        this.binary = binary;
        this.args = args;
    }

    /**
     * Six Debian {@code redis-server}s (7.0) as one cluster, with extra {@code redis-server} arguments if any
     * ({@code "--enable-debug-command", "yes"}...).
     */
    public static RedisCluster start(String... extraArgs) {
        return start(null, List.of(extraArgs));
    }

    /** The same with Valkey 8.0.1 from {@code ../shared/redis-builds/}; empty when that binary is absent. */
    public static Optional<RedisCluster> startValkey() {
        return startWith("valkey-server-8.0.1");
    }

    /** The same with a binary of {@code ../shared/redis-builds/} ({@code redis-server-7.4.1}...), if present. */
    public static Optional<RedisCluster> startWith(String binary) {
        return build(binary).map(path -> start(path, List.of()));
    }

    /** A server binary of {@code ../shared/redis-builds/}, if this checkout sits beside that folder. */
    public static Optional<Path> build(String binary) {
        Path path = Path.of("..", "shared", "redis-builds", binary).toAbsolutePath().normalize();
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    private static RedisCluster start(Path binary, List<String> extraArgs) {
        List<LocalRedisServer> servers = new ArrayList<>();
        List<String> args = new ArrayList<>(CLUSTER_ARGS);
        args.addAll(extraArgs);
        try {
            for (int i = 0; i < SIZE; i++) {
                servers.add(launch(binary, args));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            servers.forEach(s -> create.add("127.0.0.1:" + s.port()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            String out = RedisServer.run(create);
            if (!out.contains("[OK] All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + out);
            }
            RedisCluster cluster = new RedisCluster(servers, binary, List.copyOf(args));
            cluster.awaitOk();
            return cluster;
        }
        catch (RuntimeException ex) {
            servers.forEach(LocalRedisServer::close);
            throw ex;
        }
    }

    private static LocalRedisServer launch(Path binary, List<String> args) {
        return binary == null ? LocalRedisServer.start(args) : LocalRedisServer.start(binary, args);
    }

    /**
     * Starts one more server and joins it as a primary without slots ({@code redis-cli --cluster add-node}); waits
     * until every node knows it. Returns its port.
     */
    public int addNode() {
        LocalRedisServer added = launch(binary, args);
        String out = RedisServer.run(List.of("redis-cli", "--cluster", "add-node", "127.0.0.1:" + added.port(),
                "127.0.0.1:" + servers.get(0).port()));
        if (!out.contains("[OK] New node added correctly")) {
            added.close();
            throw new IllegalStateException("redis-cli --cluster add-node failed: " + out);
        }
        servers.add(added);
        awaitOk();
        return added.port();
    }

    /**
     * Removes an empty node ({@code redis-cli --cluster del-node}: the others forget it), then stops it.
     */
    public void removeNode(int port) {
        String id = cli(port, "CLUSTER", "MYID").strip();
        String out = RedisServer.run(List.of("redis-cli", "--cluster", "del-node", "127.0.0.1:" + servers.get(0).port(), id));
        if (!out.contains("SHUTDOWN the node") && !out.contains("CLUSTER RESET SOFT")) {
            throw new IllegalStateException("redis-cli --cluster del-node failed: " + out);
        }
        LocalRedisServer removed = servers.stream().filter(s -> s.port() == port).findFirst().orElseThrow();
        servers.remove(removed);
        removed.close();
        awaitOk();
    }

    /**
     * Waits until every live node says {@code cluster_state:ok}, knows every node, and all of them agree on every
     * node's role, primary and slots (10 s at most): {@code cluster_state:ok} comes before the gossip that tells
     * every node which ones became replicas.
     */
    public void awaitOk() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            java.util.Set<java.util.Map<String, String>> views = new java.util.HashSet<>();
            for (LocalRedisServer server : servers) {
                if (!server.isAlive()) {
                    continue;
                }
                String info = cli(server.port(), "CLUSTER", "INFO");
                ok &= info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + servers.size());
                views.add(roles(server.port()));
            }
            if (ok && views.size() == 1) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("the cluster did not reach cluster_state:ok: " + cli(port(0), "CLUSTER", "INFO"));
    }

    /** What one node says of every node: its address, role (master, or slave of which primary) and slots. */
    private static java.util.Map<String, String> roles(int port) {
        java.util.Map<String, String> roles = new java.util.TreeMap<>();
        for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length > 7) {
                String role = List.of(fields[2].split(",")).contains("master") ? "master" : "slave of " + fields[3];
                String slots = String.join(" ", java.util.Arrays.asList(fields).subList(8, fields.length));
                roles.put(fields[1].split("@")[0], role + " " + slots);
            }
        }
        return roles;
    }

    /** The servers, in start order (the first three start as primaries). */
    public List<LocalRedisServer> servers() {
        return servers;
    }

    /** Port of the i-th server. */
    public int port(int i) {
        return servers.get(i).port();
    }

    /** {@code redis://127.0.0.1:PORT} of the i-th server. */
    public String url(int i) {
        return servers.get(i).url();
    }

    /** Ports of the nodes that are primaries now (per {@code CLUSTER NODES} of a live node). */
    public List<Integer> primaries() {
        return withFlag("master");
    }

    /** Ports of the nodes that are replicas now. */
    public List<Integer> replicas() {
        return withFlag("slave");
    }

    private List<Integer> withFlag(String flag) {
        LocalRedisServer live = servers.stream().filter(LocalRedisServer::isAlive).findFirst().orElseThrow();
        List<Integer> ports = new ArrayList<>();
        for (String line : cli(live.port(), "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length > 2 && List.of(fields[2].split(",")).contains(flag) && !fields[2].contains("fail")) {
                String address = fields[1].split("@")[0];
                ports.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
            }
        }
        return ports;
    }

    /**
     * {@code CLUSTER FAILOVER} on the replica at this port, then waits until it calls itself a primary everywhere
     * (10 s at most).
     */
    public void failover(int replicaPort) {
        String answer = cli(replicaPort, "CLUSTER", "FAILOVER");
        if (!answer.startsWith("OK")) {
            throw new IllegalStateException("CLUSTER FAILOVER refused: " + answer);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (cli(replicaPort, "ROLE").startsWith("master") && primaries().contains(replicaPort)) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("the replica on port " + replicaPort + " did not take over");
    }

    /** The port of the primary that serves this key (its slot). */
    public int primaryOf(String key) {
        String slot = cli(port(0), "CLUSTER", "KEYSLOT", key).strip();
        int wanted = Integer.parseInt(slot);
        LocalRedisServer live = servers.stream().filter(LocalRedisServer::isAlive).findFirst().orElseThrow();
        for (String line : cli(live.port(), "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length < 9 || !fields[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue;
                }
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (wanted >= from && wanted <= to) {
                    String address = fields[1].split("@")[0];
                    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                }
            }
        }
        throw new IllegalStateException("no primary serves slot " + slot);
    }

    /** Runs {@code redis-cli -p PORT args...} (not in cluster mode) and returns its output. */
    public static String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return RedisServer.run(command);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        servers.forEach(LocalRedisServer::close);
    }
}
