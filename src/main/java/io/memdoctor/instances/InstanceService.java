package io.memdoctor.instances;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The set of watched instances: those configured under {@code memdoctor.instances} (written to the store at every
 * start) and those added at runtime. Other features ask here which instances exist, and hear of removals through
 * {@link InstanceRemoved} events.
 */
@Service
public class InstanceService {

    private static final Logger log = LoggerFactory.getLogger(InstanceService.class);
    private static final int MAX_NAME_LENGTH = 100;

    private final InstanceRepository repository;
    private final ConfiguredInstances configured;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final AllowedTargets targets;
    private final ObjectProvider<ClusterProbe> probe;
    private final InstanceTagRepository tags;

    InstanceService(InstanceRepository repository, ConfiguredInstances configured, Clock clock,
            ApplicationEventPublisher events, AllowedTargets targets, ObjectProvider<ClusterProbe> probe,
            InstanceTagRepository tags) {
        // asked at each addition, not now: the probe (cluster) itself depends on this service
        this.probe = probe;
        this.repository = repository;
        this.tags = tags;
        this.configured = configured;
        this.clock = clock;
        this.events = events;
        this.targets = targets;
        syncConfigured();
    }

    private void syncConfigured() {
        List<ConfiguredInstances.Entry> all = configured.instances();
        for (int i = 0; i < all.size(); i++) {
            ConfiguredInstances.Entry entry = all.get(i);
            String name = validName(entry.name());
            if (entry.url() == null) {
                throw new IllegalStateException("memdoctor.instances entry '" + name + "' has no url");
            }
            try {
                targets.check(entry.url());
            }
            catch (InvalidRedisUrlException ex) {
                // refused at start, before anything connects to it
                throw new IllegalStateException("memdoctor.instances[" + i + "] ('" + name + "'): " + ex.getMessage()
                        + " Remove the instance or widen " + AllowedTargets.PROPERTY + ".", ex);
            }
            List<String> entryTags;
            try {
                entryTags = InstanceTags.valid(entry.tags());
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException("memdoctor.instances[" + i + "].tags ('" + name + "'): "
                        + ex.getMessage(), ex);
            }
            Instance instance = new Instance(InstanceId.slugOf(name), name, entry.url(), Instance.Source.CONFIG,
                    Instance.Kind.SERVER, null, configuredLimit(i, name, entry));
            repository.upsertConfigured(instance, clock.instant());
            // the configuration is the truth for configured instances, as for their URL (and memory limit)
            tags.replace(instance.id(), entryTags);
            log.info("Watching configured instance {} at {}", instance.id(), instance.url());
        }
    }

    private static Long configuredLimit(int i, String name, ConfiguredInstances.Entry entry) {
        try {
            return MemoryLimit.valid(entry.memoryLimitBytes());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("memdoctor.instances[" + i + "].memory-limit ('" + name + "'): "
                    + ex.getMessage().replace("memoryLimit", "memory-limit"), ex);
        }
    }

    /** Every watched instance, oldest first. */
    public List<Instance> findAll() {
        return repository.findAll();
    }

    /** The instances that carry every one of the tags (all of them when none is given), oldest first. */
    public List<Instance> findTagged(List<String> required) {
        List<Instance> all = repository.findAll();
        if (required == null || required.isEmpty()) {
            return all;
        }
        Map<InstanceId, List<String>> tagged = tags.tagsOfAll();
        return all.stream().filter(i -> tagged.getOrDefault(i.id(), List.of()).containsAll(required)).toList();
    }

    /** The instance's tags, sorted. */
    public List<String> tagsOf(InstanceId id) {
        return tags.tagsOf(id);
    }

    /** The tags of every tagged instance, in one read. */
    public Map<InstanceId, List<String>> tagsOfAll() {
        return tags.tagsOfAll();
    }

    /**
     * Replaces the tags of an instance (a configured one gets its configured tags back at the next start).
     *
     * @throws IllegalArgumentException for a bad tag (400)
     * @throws InstanceNotFoundException (404)
     */
    @Transactional
    public List<String> retag(String id, List<String> newTags) {
        Instance instance = get(id);
        List<String> valid = InstanceTags.valid(newTags);
        tags.replace(instance.id(), valid);
        return tags.tagsOf(instance.id());
    }

    public Optional<Instance> find(InstanceId id) {
        return repository.findById(id);
    }

    /** Whether the instance is watched (cheaper than {@link #find}: nothing is read but its id). */
    public boolean exists(InstanceId id) {
        return repository.exists(id);
    }

    /** The ids of every watched instance, in one read of the ids alone (per sampled batch, not per page). */
    public Set<InstanceId> ids() {
        return repository.ids();
    }

    /** The instance, or a 404 error. */
    public Instance get(String id) {
        InstanceId parsed;
        try {
            parsed = InstanceId.of(id);
        }
        catch (IllegalArgumentException ex) {
            throw new InstanceNotFoundException(id);
        }
        return repository.findById(parsed).orElseThrow(() -> new InstanceNotFoundException(id));
    }

    /** The nodes of a cluster (instances of their own), oldest first; empty for a server. */
    public List<Instance> nodes(InstanceId cluster) {
        return repository.findNodes(cluster);
    }

    /**
     * Adds an instance at runtime. When its server runs in cluster mode ({@link ClusterProbe}), the instance is
     * the cluster: {@code cluster} then registers its nodes.
     *
     * @throws IllegalArgumentException for a bad name or URL (400)
     * @throws DuplicateInstanceException when the name or its id is taken (409)
     */
    @Transactional
    public Instance add(String name, String url) {
        return add(name, url, List.of());
    }

    /** Adds an instance at runtime, with tags and no memory limit (see the next). */
    @Transactional
    public Instance add(String name, String url, List<String> newTags) {
        return add(name, url, newTags, null);
    }

    /**
     * Adds an instance at runtime, with tags and a declared memory limit ({@code null}: none).
     *
     * @throws IllegalArgumentException for a bad name, URL, tag or memory limit (400)
     * @throws DuplicateInstanceException when the name or its id is taken, or the server is a node of a cluster
     *     already watched (409, naming that cluster)
     */
    @Transactional
    public Instance add(String name, String url, List<String> newTags, Long memoryLimit) {
        String validName = validName(name);
        List<String> validTags = InstanceTags.valid(newTags);
        Long validLimit = MemoryLimit.valid(memoryLimit);
        RedisUrl redisUrl = RedisUrl.of(url);
        targets.check(redisUrl);
        InstanceId id = InstanceId.slugOf(validName);
        if (repository.existsByName(validName)) {
            throw new DuplicateInstanceException("An instance named '" + validName + "' already exists.");
        }
        if (repository.findById(id).isPresent()) {
            throw new DuplicateInstanceException("The name '" + validName + "' gives the id '" + id
                    + "', which another instance already has. Choose another name.");
        }
        Instance instance = new Instance(id, validName, redisUrl, Instance.Source.RUNTIME, Instance.Kind.SERVER, null,
                validLimit);
        ClusterProbe clusters = probe.getIfAvailable(() -> ClusterProbe.NONE);
        if (clusters.isCluster(instance)) {
            Optional<Instance> existing = clusters.watchedAs(instance);
            if (existing.isPresent()) {
                // its nodes are sampled already: a second cluster of the same nodes would sample each twice
                throw DuplicateInstanceException.sameCluster(existing.get());
            }
            instance = instance.asCluster();
        }
        repository.insert(instance, clock.instant());
        tags.replace(id, validTags);
        log.info("Added {} {} at {}", instance.isCluster() ? "cluster" : "instance", id, redisUrl);
        events.publishEvent(new InstanceAdded(instance));
        return instance;
    }

    /**
     * Adds a node of a cluster as an instance of its own (sampled like any server), under the cluster, with the
     * memory limit declared for the cluster (each node's container's).
     *
     * @throws InvalidRedisUrlException when {@code memdoctor.instances.allowed-targets} refuses its address
     * @throws DuplicateInstanceException when its name or id is taken
     */
    @Transactional
    public Instance addNode(Instance cluster, String name, RedisUrl url) {
        String validName = validName(name.length() > MAX_NAME_LENGTH ? name.substring(name.length() - MAX_NAME_LENGTH)
                : name);
        targets.check(url);
        InstanceId id = InstanceId.slugOf(validName);
        if (repository.existsByName(validName) || repository.findById(id).isPresent()) {
            throw new DuplicateInstanceException("An instance named '" + validName + "' already exists.");
        }
        Instance node = new Instance(id, validName, url, Instance.Source.DISCOVERED, Instance.Kind.SERVER,
                cluster.id(), cluster.memoryLimit());
        repository.insert(node, clock.instant());
        log.info("Added node {} of cluster {} at {}", id, cluster.id(), url);
        events.publishEvent(new InstanceAdded(node));
        return node;
    }

    /** Makes a server found in cluster mode after it was added (configured, or down when added) a cluster. */
    @Transactional
    public Instance markCluster(InstanceId id) {
        repository.markCluster(id);
        log.info("Instance {} is a cluster", id);
        return repository.findById(id).orElseThrow(() -> new InstanceNotFoundException(id.value()));
    }

    /** Removes a node that left its cluster, and everything recorded about it. */
    @Transactional
    public void removeNode(InstanceId id) {
        repository.findById(id).filter(Instance::isNode).ifPresent(node -> {
            repository.delete(node.id());
            events.publishEvent(new InstanceRemoved(node.id()));
            log.info("Removed node {} of cluster {}", node.id(), node.cluster());
        });
    }

    /**
     * Removes an instance and everything recorded about it; a cluster with its nodes. A node alone cannot be
     * removed (400): the cluster's topology would bring it back.
     */
    @Transactional
    public void remove(String id) {
        Instance instance = get(id);
        if (instance.isNode()) {
            throw new IllegalArgumentException("'" + instance.name() + "' is a node of cluster '" + instance.cluster()
                    + "': remove the cluster to stop watching it.");
        }
        for (Instance node : repository.findNodes(instance.id())) {
            repository.delete(node.id());
            events.publishEvent(new InstanceRemoved(node.id()));
        }
        repository.delete(instance.id());
        events.publishEvent(new InstanceRemoved(instance.id()));
        log.info("Removed instance {}", instance.id());
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name must not contain control characters");
        }
        InstanceId.slugOf(stripped);
        return stripped;
    }

}
