package io.memdoctor.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads {@code CLUSTER SHARDS} (7.0 and later, RESP2 or RESP3) and {@code CLUSTER NODES} (every version) into
 * {@link ClusterNode}s. Nodes without an address yet (handshake, {@code noaddr}) are left out.
 */
final class ClusterReplies {

    private ClusterReplies() {
    }

    /** The nodes of a {@code CLUSTER SHARDS} reply. */
    static List<ClusterNode> fromShards(Object reply, boolean tls) {
        List<ClusterNode> out = new ArrayList<>();
        if (!(reply instanceof List<?> shards)) {
            throw new IllegalArgumentException("CLUSTER SHARDS did not answer a list");
        }
        for (Object shardReply : shards) {
            Map<String, Object> shard = map(shardReply);
            String slots = slotRanges(shard.get("slots"));
            List<Map<String, Object>> nodes = new ArrayList<>();
            if (shard.get("nodes") instanceof List<?> list) {
                list.forEach(node -> nodes.add(map(node)));
            }
            String primaryId = nodes.stream().filter(n -> "master".equals(text(n.get("role"))))
                    .map(n -> text(n.get("id"))).findFirst().orElse(null);
            for (Map<String, Object> node : nodes) {
                boolean primary = "master".equals(text(node.get("role")));
                String host = text(node.get("endpoint"));
                if (host == null || host.isEmpty() || "?".equals(host)) {
                    host = text(node.get("ip"));
                }
                Object port = tls && node.get("tls-port") != null ? node.get("tls-port") : node.get("port");
                if (host == null || host.isEmpty() || "?".equals(host) || port == null) {
                    continue;
                }
                out.add(new ClusterNode(text(node.get("id")), host, Integer.parseInt(text(port)), primary,
                        primary ? null : primaryId, primary ? slots : "", "failed".equals(text(node.get("health")))));
            }
        }
        return out;
    }

    /**
     * Whether a {@code CLUSTER SHARDS} answer leaves a replica without a primary it names: a shard that holds only
     * replicas, or a primary listed without an address. Shards are grouped by shard id, which reaches the other
     * nodes by gossip after the replication link does (just after {@code --cluster create} or a
     * {@code CLUSTER REPLICATE}, seen on Valkey 8.0), so for a moment a replica sits in a shard of its own;
     * {@code CLUSTER NODES} names each replica's primary directly and is asked instead.
     */
    static boolean replicaWithoutPrimary(List<ClusterNode> nodes) {
        java.util.Set<String> primaries = new java.util.HashSet<>();
        nodes.stream().filter(ClusterNode::primary).forEach(node -> primaries.add(node.id()));
        return nodes.stream().anyMatch(node -> !node.primary() && !primaries.contains(node.primaryId()));
    }

    /**
     * The {@code CLUSTER SHARDS} nodes, each replica with the primary {@code CLUSTER NODES} names for it where
     * SHARDS names none (addresses, TLS ports and health stay those of SHARDS).
     */
    static List<ClusterNode> primariesFrom(List<ClusterNode> shards, List<ClusterNode> nodes) {
        Map<String, String> primaryOf = new java.util.HashMap<>();
        nodes.stream().filter(node -> node.primaryId() != null)
                .forEach(node -> primaryOf.put(node.id(), node.primaryId()));
        java.util.Set<String> primaries = new java.util.HashSet<>();
        shards.stream().filter(ClusterNode::primary).forEach(node -> primaries.add(node.id()));
        return shards.stream().map(node -> node.primary() || primaries.contains(node.primaryId())
                ? node
                : new ClusterNode(node.id(), node.host(), node.port(), false,
                        primaryOf.getOrDefault(node.id(), node.primaryId()), node.slots(), node.failed())).toList();
    }

    /** The nodes of a {@code CLUSTER NODES} reply. */
    static List<ClusterNode> fromNodes(String reply) {
        List<ClusterNode> out = new ArrayList<>();
        for (String line : reply.split("\r?\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length < 8) {
                continue;
            }
            List<String> flags = List.of(fields[2].split(","));
            if (flags.contains("noaddr") || flags.contains("handshake")) {
                continue;
            }
            String address = fields[1].split("[@,]")[0];
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port == 0) {
                continue;
            }
            boolean primary = flags.contains("master");
            TreeSet<int[]> ranges = new TreeSet<>((a, b) -> Integer.compare(a[0], b[0]));
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue; // a slot being migrated or imported: [slot->-id]
                }
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                ranges.add(new int[] {from, range.length > 1 ? Integer.parseInt(range[1]) : from});
            }
            out.add(new ClusterNode(fields[0], host, port, primary, primary || "-".equals(fields[3]) ? null : fields[3],
                    format(new ArrayList<>(ranges)), flags.contains("fail")));
        }
        return out;
    }

    /** Slot pairs (start, end, start, end...) as {@code "0-5460,5462"}. */
    private static String slotRanges(Object slots) {
        List<int[]> ranges = new ArrayList<>();
        if (slots instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                ranges.add(new int[] {Integer.parseInt(text(list.get(i))), Integer.parseInt(text(list.get(i + 1)))});
            }
        }
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        return format(ranges);
    }

    /** Sorted ranges, adjacent ones merged. */
    static String format(List<int[]> sorted) {
        List<int[]> merged = new ArrayList<>();
        for (int[] range : sorted) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], range[1]);
            }
            else {
                merged.add(new int[] {range[0], range[1]});
            }
        }
        StringBuilder out = new StringBuilder();
        for (int[] range : merged) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(range[0]);
            if (range[1] != range[0]) {
                out.append('-').append(range[1]);
            }
        }
        return out.toString();
    }

    /** A RESP3 map, or a RESP2 flat name/value list, as a map. */
    private static Map<String, Object> map(Object reply) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (reply instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(text(k), v));
        }
        else if (reply instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                out.put(text(list.get(i)), list.get(i + 1));
            }
        }
        return out;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            return java.nio.charset.StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        return String.valueOf(value);
    }
}
