package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.asyncpatterns.jobs.InstanceLossPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster keys the README documented keep working beside their {@code asyncpatterns.cluster.*} names. */
class DocumentedClusterKeysTests {

    @Test
    void theDocumentedKeysBindToTheClustersOwnProperties() {
        ClusterProperties properties = bind(Map.of("asyncpatterns.instance-id", "node-1",
                "asyncpatterns.jobs.lease-ttl-ms", "1500", "asyncpatterns.jobs.on-instance-loss", "RERUN"));

        assertThat(properties).isEqualTo(new ClusterProperties("node-1", Duration.ofMillis(1500), InstanceLossPolicy.RERUN));
    }

    @Test
    void theDocumentedKeysWorkAsEnvironmentVariablesToo() {
        // As docker-compose.yml sets it.
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("ASYNCPATTERNS_INSTANCE_ID", "app-1")));

        assertThat(bind(environment).instanceId()).isEqualTo("app-1");
    }

    @Test
    void aKeyOfTheClustersOwnWinsOverItsDocumentedTwin() {
        ClusterProperties properties = bind(Map.of("asyncpatterns.jobs.lease-ttl-ms", "1500",
                "asyncpatterns.cluster.lease-ttl", "20s"));

        assertThat(properties.leaseTtl()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void withoutEitherTheDefaultsHold() {
        ClusterProperties properties = bind(Map.of());

        assertThat(properties).isEqualTo(new ClusterProperties(null, Duration.ofSeconds(10), InstanceLossPolicy.FAIL));
    }

    private static ClusterProperties bind(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        return bind(environment);
    }

    private static ClusterProperties bind(StandardEnvironment environment) {
        new DocumentedClusterKeys().postProcessEnvironment(environment, null);
        return Binder.get(environment).bindOrCreate("asyncpatterns.cluster", ClusterProperties.class);
    }
}
