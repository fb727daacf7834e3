package dev.asyncpatterns.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker compose stack's credentials, read from the files themselves: the app's environment
 * binds to the API keys it documents (Spring's environment-variable naming is easy to get
 * subtly wrong, and a key that does not bind would leave the stack refusing to start), and
 * Prometheus scrapes with the documented key, which has the monitor role.
 */
class ComposeCredentialsTests {

    private static final String OPERATOR_KEY = "demo-operator-key";
    private static final String MONITOR_KEY = "demo-monitor-key";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws IOException {
        return new Yaml().load(Files.readString(Path.of(file)));
    }

    @SuppressWarnings("unchecked")
    private static AccessControlProperties composeSecurity() throws IOException {
        Map<String, Object> services = (Map<String, Object>) yaml("docker-compose.yml").get("services");
        Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services.get("app"))
            .get("environment");
        MutablePropertySources sources = new MutablePropertySources();
        // Named as the real one: Boot maps ASYNCPATTERNS_... names only for a source by this name.
        sources.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                environment));
        return new Binder(ConfigurationPropertySources.from(sources))
            .bindOrCreate("asyncpatterns.security", AccessControlProperties.class);
    }

    private static String sha256(String key) {
        return HexFormat.of().formatHex(ApiKeyAuthenticationManager.sha256(key));
    }

    @Test
    void theComposeEnvironmentConfiguresTheDocumentedOperatorAndMonitorKeysAndNoAnonymousAccess() throws IOException {
        AccessControlProperties security = composeSecurity();

        assertThat(security.allowAnonymous()).isFalse();
        assertThat(security.apiKeys()).extracting(AccessControlProperties.ApiKey::keySha256, AccessControlProperties.ApiKey::roles)
            .containsExactly(
                    org.assertj.core.groups.Tuple.tuple(sha256(OPERATOR_KEY), List.of(Role.OPERATOR)),
                    org.assertj.core.groups.Tuple.tuple(sha256(MONITOR_KEY), List.of(Role.MONITOR)));
        assertThat(Files.readString(Path.of("docker-compose.yml"))).contains(OPERATOR_KEY, MONITOR_KEY);
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheServiceWithTheMonitorKey() throws IOException {
        List<Map<String, Object>> scrapes = (List<Map<String, Object>>) yaml("config/prometheus/prometheus.yml")
            .get("scrape_configs");
        Map<String, Object> service = scrapes.stream().filter(scrape -> "async-patterns".equals(scrape.get("job_name")))
            .findFirst().orElseThrow();

        assertThat(service.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat((Map<String, Object>) service.get("authorization"))
            .containsEntry("type", "Bearer").containsEntry("credentials", MONITOR_KEY);
    }
}
