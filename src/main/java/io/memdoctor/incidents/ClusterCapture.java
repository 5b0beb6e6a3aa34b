package io.memdoctor.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.checks.CheckService;
import io.memdoctor.cluster.ClusterReports;
import io.memdoctor.cluster.ClusterTopology;
import io.memdoctor.cluster.Clusters;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.diagnosis.DiagnosisService;
import io.memdoctor.diagnosis.Finding;
import io.memdoctor.diagnosis.Severity;
import io.memdoctor.diagnosis.Verdict;
import io.memdoctor.instances.Instance;
import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.sampling.Sampler;
import io.memdoctor.snapshots.Snapshot;
import io.memdoctor.snapshots.SnapshotHistory;
import io.memdoctor.snapshots.SnapshotStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The part of a capture that only a cluster has: every node of the topology last read is sampled and asked for its
 * facts as a server would be, all nodes at once ({@link NodeCaptureThreads}), so a node that does not answer costs
 * the capture one timeout (its sample's) and is recorded as silent, its facts not asked. Then the checks across shards, and a verdict that is
 * the most serious node's, naming its shard and the other shards involved.
 */
@Component
class ClusterCapture {

    /** Samples kept per node at least, whatever the cluster's size. */
    static final int MIN_NODE_POINTS = 100;

    private static final Logger log = LoggerFactory.getLogger(ClusterCapture.class);

    private final Clusters clusters;
    private final ClusterReports reports;
    private final InstanceService instances;
    private final Sampler sampler;
    private final FactCollector facts;
    private final CheckService checks;
    private final DiagnosisService diagnoses;
    private final SnapshotHistory history;
    private final NodeCaptureThreads threads;

    ClusterCapture(Clusters clusters, ClusterReports reports, InstanceService instances, Sampler sampler,
            FactCollector facts, CheckService checks, DiagnosisService diagnoses, SnapshotHistory history,
            NodeCaptureThreads threads) {
        this.threads = threads;
        this.clusters = clusters;
        this.reports = reports;
        this.instances = instances;
        this.sampler = sampler;
        this.facts = facts;
        this.checks = checks;
        this.diagnoses = diagnoses;
        this.history = history;
    }

    /**
     * What a node answered at capture time.
     *
     * @param node its place in the topology
     * @param instance the instance it is sampled as, {@code null} when it is no longer watched
     * @param status the status of its fresh sample (GONE, ERROR when its capture itself failed)
     * @param error why that sample failed
     * @param facts its facts
     * @param checks its checks, empty when it did not answer
     */
    record Answer(ClusterTopology.Node node, Instance instance, String status, String error, Map<String, Fact> facts,
            List<CheckResult> checks) {
    }

    /** Samples every node now and asks each for its facts and checks, all nodes at once. */
    List<Answer> ask(Instance cluster) {
        List<ClusterTopology.Node> topology = clusters.topology(cluster).nodes();
        List<Answer> answers = new ArrayList<>();
        if (topology.isEmpty()) {
            return answers;
        }
        List<Future<Answer>> running = topology.stream().map(node -> threads.submit(() -> ask(node))).toList();
        try {
            for (int i = 0; i < running.size(); i++) {
                answers.add(result(running.get(i), topology.get(i)));
            }
        }
        finally {
            // after an interrupt, the nodes still running are not waited for
            running.forEach(node -> node.cancel(true));
        }
        return answers;
    }

    /** One node, as a server's capture asks it; its facts not asked after a sample that got no answer. */
    private Answer ask(ClusterTopology.Node node) {
        Instance instance = instances.find(node.instanceId()).orElse(null);
        if (instance == null) {
            return new Answer(node, null, "GONE", "the node is no longer watched", Map.of(), List.of());
        }
        Snapshot sample = sampler.sample(instance);
        String silence = sample.status() == SnapshotStatus.UNREACHABLE
                ? "the sample taken at capture time got no answer (" + sample.error() + ")" : null;
        Map<String, Fact> captured = facts.collect(instance, silence);
        // the checks would ask CONFIG GET and CLIENT LIST of a node that just did not answer, each waiting as long
        List<CheckResult> checked = silence == null ? checks.check(instance.id().value()) : List.of();
        return new Answer(node, instance, sample.status().name(), sample.error(), captured, checked);
    }

    private static Answer result(Future<Answer> running, ClusterTopology.Node node) {
        try {
            return running.get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Answer(node, null, SnapshotStatus.ERROR.name(), "the capture was interrupted", Map.of(),
                    List.of());
        }
        catch (ExecutionException ex) {
            log.warn("Capture of node {} failed: {}", node.address(), ex.getCause().getClass().getSimpleName());
            return new Answer(node, null, SnapshotStatus.ERROR.name(), "its capture failed: "
                    + ex.getCause().getClass().getSimpleName(), Map.of(), List.of());
        }
    }

    /**
     * The capture of the cluster over the window: each node's answers with its diagnosis and samples, the checks
     * across shards, the verdict and the samples of the shard it names.
     */
    Capture capture(Instance cluster, List<Answer> answers, Instant from, Instant to) {
        int points = Math.max(MIN_NODE_POINTS, IncidentCapture.MAX_POINTS / Math.max(1, answers.size()));
        List<NodeCapture> nodes = new ArrayList<>();
        for (Answer a : answers) {
            ClusterTopology.Node node = a.node();
            Diagnosis diagnosis = a.instance() == null ? null : diagnosis(node, from, to);
            List<Map<String, Object>> samples = a.instance() == null ? List.of()
                    : history.range(node.instanceId(), from, to, points).points().stream().map(Samples::of).toList();
            nodes.add(new NodeCapture(node.address(), node.role().name(), node.primary(), node.slots(),
                    node.instanceId().value(), a.status(), a.error(), a.facts(), a.checks(), diagnosis, samples));
        }
        List<CheckResult> acrossShards = reports.summary(cluster).findings();
        NodeCapture named = NodeCapture.mostSerious(nodes);
        List<Map<String, Object>> samples = named == null ? List.of()
                : history.range(InstanceId.of(named.instanceId()), from, to, IncidentCapture.MAX_POINTS).points()
                        .stream().map(Samples::of).toList();
        return new Capture(Map.of(), acrossShards, verdict(nodes, named, from, to), samples, null, null, nodes);
    }

    private Diagnosis diagnosis(ClusterTopology.Node node, Instant from, Instant to) {
        try {
            return diagnoses.diagnose(node.instanceId().value(), from, to);
        }
        catch (RuntimeException ex) {
            // removed since it answered (the topology changed): the others' capture stands
            log.warn("No diagnosis of node {}: {}", node.address(), ex.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * The cluster's verdict: the named node's diagnosis, its summary led by its shard, with the other nodes that have
     * a finding of their own and those that did not answer named after it.
     */
    static Diagnosis verdict(List<NodeCapture> nodes, NodeCapture named, Instant from, Instant to) {
        List<String> silent = nodes.stream().filter(n -> !n.answered()).map(NodeCapture::label).toList();
        String unanswered = silent.isEmpty() ? "" : " " + silent.size() + (silent.size() == 1 ? " node" : " nodes")
                + " did not answer at capture time: " + String.join(", ", silent) + ".";
        if (named == null) {
            return new Diagnosis(Verdict.INSUFFICIENT_DATA, Severity.INFO,
                    (nodes.isEmpty() ? "The cluster has no node registered yet." : "No node could be diagnosed.")
                            + unanswered, List.of(), List.of(), List.of(), from, to, 0);
        }
        Diagnosis d = named.diagnosis();
        List<String> others = nodes.stream().filter(n -> n != named && n.diagnosis() != null
                        && (n.diagnosis().severity().ordinal() > 0 || n.diagnosis().verdict() != Verdict.STABLE
                                && n.diagnosis().verdict() != Verdict.INSUFFICIENT_DATA))
                .map(n -> n.label() + ": " + n.diagnosis().verdict() + " (" + n.diagnosis().severity() + ")").toList();
        String summary = "Shard " + named.label() + ": " + d.summary()
                + (others.isEmpty() ? "" : " Also " + String.join("; ", others) + ".") + unanswered;
        List<String> evidence = new ArrayList<>();
        evidence.add("Every node's verdict: " + String.join("; ", nodes.stream().map(n -> n.address() + " "
                + (n.diagnosis() == null ? n.status() : n.diagnosis().verdict() + " (" + n.diagnosis().severity()
                        + ")")).toList()) + ".");
        evidence.addAll(d.evidence());
        List<Finding> findings = new ArrayList<>();
        Finding primary = d.findings().get(0);
        findings.add(new Finding(primary.verdict(), primary.severity(), summary, evidence, primary.nextSteps(),
                primary.cause()));
        findings.addAll(d.findings().subList(1, d.findings().size()));
        return new Diagnosis(d.verdict(), d.severity(), summary, evidence, d.nextSteps(), findings, d.from(), d.to(),
                d.samples());
    }
}
