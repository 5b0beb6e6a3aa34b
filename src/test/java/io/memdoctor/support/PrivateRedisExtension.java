package io.memdoctor.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import io.memdoctor.instances.InstanceId;
import io.memdoctor.instances.InstanceService;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Starts and stops the server of {@link PrivateRedis}, and adds and removes its instance in the dashboard (which
 * samples it once when it is added).
 */
final class PrivateRedisExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
            .create(PrivateRedisExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        PrivateRedis settings = testClass.getAnnotation(PrivateRedis.class);
        RedisServer server = RedisServer.start(settings.args());
        context.getStore(NAMESPACE).put(RedisServer.class, server);
        for (Field field : testClass.getDeclaredFields()) {
            if (field.getType() == RedisServer.class && Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(null, server);
            }
        }
        if (!settings.instance().isEmpty()) {
            InstanceId id = instances(context).add(settings.instance(), server.url()).id();
            Watched.awaitFirstSample(SpringExtension.getApplicationContext(context), id);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        PrivateRedis settings = context.getRequiredTestClass().getAnnotation(PrivateRedis.class);
        RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
        try {
            if (!settings.instance().isEmpty()) {
                InstanceService instances = instances(context);
                // removing it also closes its connections, so nothing reconnects to the stopped server
                if (instances.find(InstanceId.slugOf(settings.instance())).isPresent()) {
                    instances.remove(InstanceId.slugOf(settings.instance()).value());
                }
            }
        }
        finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static InstanceService instances(ExtensionContext context) {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        return application.getBean(InstanceService.class);
    }
}
