package dev.asyncpatterns.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The cluster keys as documented before {@link ClusterProperties} had a prefix of its own keep
 * working: {@code asyncpatterns.instance-id}, {@code asyncpatterns.jobs.lease-ttl-ms} and
 * {@code asyncpatterns.jobs.on-instance-loss} are read into their {@code asyncpatterns.cluster.*}
 * keys, unless those are set themselves. Deployments and scripts written against the README need
 * no change.
 */
public class DocumentedClusterKeys implements EnvironmentPostProcessor {

    private static final String SOURCE = "asyncpatternsDocumentedClusterKeys";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        Map<String, Object> values = new LinkedHashMap<>();
        carry(binder, values, "asyncpatterns.instance-id", "asyncpatterns.cluster.instance-id", "");
        carry(binder, values, "asyncpatterns.jobs.on-instance-loss", "asyncpatterns.cluster.on-instance-loss", "");
        // A bare number of milliseconds then, a Duration now.
        carry(binder, values, "asyncpatterns.jobs.lease-ttl-ms", "asyncpatterns.cluster.lease-ttl", "ms");
        if (!values.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE, values));
        }
    }

    private static void carry(Binder binder, Map<String, Object> values, String documented, String key, String unit) {
        if (binder.bind(key, String.class).isBound()) {
            return;
        }
        binder.bind(documented, String.class).ifBound(value -> values.put(key, value.trim() + unit));
    }
}
