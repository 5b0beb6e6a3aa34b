package io.memdoctor.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code INFO replication} says about a server's role and its replicas ({@code slaveN:ip=..,port=..,
 * state=online,offset=..,lag=..}), as the server announces them.
 *
 * @param role {@code master} or {@code slave} as the server says it ({@code null} when absent)
 * @param replicas the replicas connected to it, in the server's order
 */
public record ReplicationInfo(String role, List<Replica> replicas) {

    public ReplicationInfo {
        replicas = List.copyOf(replicas);
    }

    /**
     * One replica of a primary.
     *
     * @param host the address it announced ({@code ip=})
     * @param port its port
     * @param state {@code online}, {@code wait_bgsave}, {@code send_bulk}...
     * @param offset the replication offset it acknowledged, -1 when absent
     * @param lagSeconds seconds since its last acknowledgement, -1 when absent
     */
    public record Replica(String host, int port, String state, long offset, long lagSeconds) {

        /** {@code host:port}. */
        public String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        public boolean online() {
            return "online".equals(state);
        }
    }

    /** Parses INFO's text (the replication section, or all of it); unreadable replica lines are left out. */
    public static ReplicationInfo parse(String info) {
        String role = null;
        List<Replica> replicas = new ArrayList<>();
        for (String raw : info == null ? new String[0] : info.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("role:")) {
                role = line.substring(5);
            }
            else if (line.matches("slave\\d+:.*")) {
                Replica replica = replica(line.substring(line.indexOf(':') + 1));
                if (replica != null) {
                    replicas.add(replica);
                }
            }
        }
        return new ReplicationInfo(role, replicas);
    }

    private static Replica replica(String fields) {
        String host = null;
        int port = -1;
        String state = "";
        long offset = -1;
        long lag = -1;
        for (String field : fields.split(",")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = field.substring(eq + 1);
            try {
                switch (field.substring(0, eq)) {
                    case "ip" -> host = value;
                    case "port" -> port = Integer.parseInt(value);
                    case "state" -> state = value;
                    case "offset" -> offset = Long.parseLong(value);
                    case "lag" -> lag = Long.parseLong(value);
                    default -> {
                    }
                }
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
        return host == null || host.isEmpty() || port < 1 || port > 65535 ? null
                : new Replica(host, port, state, offset, lag);
    }

    /** The online replicas, least lagging first. */
    public List<Replica> online() {
        return replicas.stream().filter(Replica::online)
                .sorted(java.util.Comparator.comparingLong(Replica::lagSeconds)).toList();
    }
}
