package io.memdoctor.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import io.memdoctor.snapshots.SnapshotHistory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The private servers a test class starts and the instances it adds to the shared dashboard of {@link DashboardTest}
 * or {@link BrowserTest}, for classes that need more than {@link PrivateRedis} gives (several servers, a password in
 * the URL, several users of one server). After the class its instances are removed (which closes their connections,
 * so nothing reconnects to a stopped server) and then its servers stopped. Register it as a static field:
 * {@code @RegisterExtension static final Watched watched = new Watched();}, start servers in field initialisers or
 * {@code @BeforeAll}, add instances from {@code @BeforeAll} or the tests.
 */
public final class Watched implements BeforeAllCallback, AfterAllCallback {

    private final List<RedisServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> names = new CopyOnWriteArrayList<>();
    private volatile ApplicationContext application;

    /** Starts a private server now (arguments as {@code --name value} pairs); stopped after the class. */
    public RedisServer start(String... args) {
        RedisServer server = RedisServer.start(args);
        servers.add(server);
        return server;
    }

    /** Has the dashboard watch {@code url} as {@code name} and waits for its first sample; removed after the class. */
    public InstanceId add(String name, String url) {
        InstanceId id = instances().add(name, url).id();
        names.add(name);
        awaitFirstSample(application(), id);
        return id;
    }

    /** Removes these instances after the class too, if they still exist (say, added through the API by a test). */
    public void forgetAfterwards(String... instanceNames) {
        names.addAll(List.of(instanceNames));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        application = SpringExtension.getApplicationContext(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (application != null) {
                InstanceService instances = instances();
                for (String name : new ArrayList<>(names)) {
                    if (instances.find(InstanceId.slugOf(name)).isPresent()) {
                        instances.remove(InstanceId.slugOf(name).value());
                    }
                }
            }
        }
        finally {
            names.clear();
            servers.forEach(RedisServer::close);
            servers.clear();
        }
    }

    /**
     * An added instance is sampled at once in the background, after its addition commits: wait for it, so every
     * test starts from one sample.
     */
    static void awaitFirstSample(ApplicationContext application, InstanceId id) {
        SnapshotHistory history = application.getBean(SnapshotHistory.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (history.latest(id).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no first sample of " + id + " within 10 s");
            }
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    private InstanceService instances() {
        return application().getBean(InstanceService.class);
    }

    private ApplicationContext application() {
        if (application == null) {
            throw new IllegalStateException("Watched is used before its class started: add instances from"
                    + " @BeforeAll or the tests, and register it as a static @RegisterExtension field");
        }
        return application;
    }
}
