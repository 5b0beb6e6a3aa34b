package io.memdoctor.redis;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code CLUSTER NODES} (servers before 7.0) and {@code CLUSTER SHARDS} in RESP2 and RESP3 read alike. */
class ClusterRepliesTests {

    @Test
    void clusterNodesGivesRolesPrimariesAndMergedSlots() {
        String reply = """
                07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,hostname4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
                67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 master - 0 1426238316232 2 connected 5461-10922
                292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003 master - 0 1426238318243 3 connected 10923-16383
                6ec23923021cf3ffec47632106199cb7f496ce01 127.0.0.1:30005@31005 slave 67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 0 1426238316232 5 connected
                824fe116063bc5fcf9f4ffd895bc17aee7731ac3 127.0.0.1:30006@31006 slave,fail 292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 0 1426238317741 6 connected
                e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001 myself,master - 0 0 1 connected 0-4000 4001-5459 5460 [5461->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]
                aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa :0@0 master,noaddr - 0 0 0 disconnected
                """;
        List<ClusterNode> nodes = ClusterReplies.fromNodes(reply);
        assertThat(nodes).hasSize(6);
        ClusterNode first = nodes.stream().filter(n -> n.port() == 30001).findFirst().orElseThrow();
        assertThat(first.primary()).isTrue();
        assertThat(first.slots()).isEqualTo("0-5460");
        assertThat(first.address()).isEqualTo("127.0.0.1:30001");
        ClusterNode replica = nodes.get(0);
        assertThat(replica.primary()).isFalse();
        assertThat(replica.primaryId()).isEqualTo("e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca");
        assertThat(replica.slots()).isEmpty();
        assertThat(nodes.stream().filter(ClusterNode::failed).map(ClusterNode::port)).containsExactly(30006);
    }

    @Test
    void clusterShardsInResp2AndResp3() {
        List<Object> resp2 = List.of(List.of("slots", List.of(0L, 100L, 102L, 5460L, 101L, 101L), "nodes", List.of(
                List.of("id", "p1", "port", 7001L, "ip", "127.0.0.1", "endpoint", "127.0.0.1", "role", "master",
                        "health", "online"),
                List.of("id", "r1", "port", 7004L, "ip", "10.0.0.4", "endpoint", "?", "role", "replica",
                        "health", "failed"))));
        Map<String, Object> primary = Map.of("id", "p2", "port", 7002L, "tls-port", 8002L, "ip", "127.0.0.1",
                "endpoint", "127.0.0.1", "role", "master", "health", "online");
        List<Object> resp3 = List.of(Map.of("slots", List.of(5461L, 16383L), "nodes", List.of(primary)));

        List<ClusterNode> plain = ClusterReplies.fromShards(resp2, false);
        assertThat(plain.get(0)).isEqualTo(new ClusterNode("p1", "127.0.0.1", 7001, true, null, "0-5460", false));
        assertThat(plain.get(1)).isEqualTo(new ClusterNode("r1", "10.0.0.4", 7004, false, "p1", "", true));
        assertThat(ClusterReplies.fromShards(resp3, false).get(0).port()).isEqualTo(7002);
        assertThat(ClusterReplies.fromShards(resp3, true).get(0).port()).isEqualTo(8002);
        assertThat(ClusterReplies.fromShards(resp3, true).get(0).slots()).isEqualTo("5461-16383");
    }

    /**
     * While shard ids spread by gossip (just after {@code --cluster create}; CI saw it on Valkey 8.0.1), SHARDS can
     * hold a replica in a shard of its own: its primary is then taken from CLUSTER NODES, the rest from SHARDS.
     */
    @Test
    void aReplicaInAShardOfItsOwnGetsItsPrimaryFromClusterNodes() {
        List<Object> shards = List.of(
                List.of("slots", List.of(0L, 16383L), "nodes", List.of(List.of("id", "p1", "port", 7001L, "tls-port",
                        8001L, "ip", "127.0.0.1", "endpoint", "127.0.0.1", "role", "master", "health", "online"))),
                List.of("slots", List.of(), "nodes", List.of(List.of("id", "r1", "port", 7004L, "tls-port", 8004L,
                        "ip", "127.0.0.1", "endpoint", "127.0.0.1", "role", "replica", "health", "loading"))));
        List<ClusterNode> fromShards = ClusterReplies.fromShards(shards, true);
        assertThat(fromShards.get(1).primaryId()).isNull();
        assertThat(ClusterReplies.replicaWithoutPrimary(fromShards)).isTrue();

        List<ClusterNode> fromNodes = ClusterReplies.fromNodes("""
                p1 127.0.0.1:7001@17001 master - 0 1 1 connected 0-16383
                r1 127.0.0.1:7004@17004 myself,slave p1 0 1 1 connected
                """);
        List<ClusterNode> merged = ClusterReplies.primariesFrom(fromShards, fromNodes);
        assertThat(merged).containsExactly(fromShards.get(0),
                new ClusterNode("r1", "127.0.0.1", 8004, false, "p1", "", false));
        assertThat(ClusterReplies.replicaWithoutPrimary(merged)).isFalse();
        assertThat(ClusterReplies.replicaWithoutPrimary(ClusterReplies.fromShards(List.of(shards.get(0)), true)))
                .isFalse();
    }
}
