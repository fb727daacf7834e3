package dev.asyncpatterns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Every renamed key keeps working under its new name, with a warning; a new key set itself wins. */
class RenamedKeysTests {

    private final List<String> warnings = new ArrayList<>();

    @Test
    void anOldMillisecondKeyIsReadAsTheNewDurationWithAWarning() {
        StandardEnvironment environment = environment(Map.of("asyncpatterns.jobs.shutdown-grace-ms", "1500",
                "asyncpatterns.tcp.client.read-timeout-ms", "250"));

        assertThat(duration(environment, "asyncpatterns.jobs.shutdown-grace")).isEqualTo(Duration.ofMillis(1500));
        assertThat(duration(environment, "asyncpatterns.tcp.client.read-timeout")).isEqualTo(Duration.ofMillis(250));
        assertThat(warnings).containsExactlyInAnyOrder(
                "asyncpatterns.jobs.shutdown-grace-ms was renamed asyncpatterns.jobs.shutdown-grace; it still works, but use the new key.",
                "asyncpatterns.tcp.client.read-timeout-ms was renamed asyncpatterns.tcp.client.read-timeout; it still works, but use the new key.");
    }

    @Test
    void theIdempotencyTtlKeyApiMdNamesInMillisecondsWorks() {
        StandardEnvironment environment = environment(Map.of("asyncpatterns.jobs.idempotency-ttl-ms", "3600000"));

        assertThat(duration(environment, "asyncpatterns.jobs.idempotency-ttl")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theClusterKeysDocumentedBeforeKeepWorking() {
        StandardEnvironment environment = environment(Map.of("asyncpatterns.instance-id", "node-1",
                "asyncpatterns.jobs.lease-ttl-ms", "1500", "asyncpatterns.jobs.on-instance-loss", "RERUN"));

        Binder binder = Binder.get(environment);
        assertThat(binder.bind("asyncpatterns.cluster.instance-id", String.class).get()).isEqualTo("node-1");
        assertThat(duration(environment, "asyncpatterns.cluster.lease-ttl")).isEqualTo(Duration.ofMillis(1500));
        assertThat(binder.bind("asyncpatterns.cluster.on-instance-loss", String.class).get()).isEqualTo("RERUN");
    }

    @Test
    void anOldKeyWorksAsAnEnvironmentVariableToo() {
        // As docker-compose.yml sets it.
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("ASYNCPATTERNS_INSTANCE_ID", "app-1")));
        postProcess(environment);

        assertThat(Binder.get(environment).bind("asyncpatterns.cluster.instance-id", String.class).get()).isEqualTo("app-1");
    }

    @Test
    void eachGlobalRateLimitersOldPeriodKeyIsCarriedToItsOwnNewKey() {
        StandardEnvironment environment = environment(Map.of(
                "asyncpatterns.calls.global-rate-limiters.shared.limit-for-period", "5",
                "asyncpatterns.calls.global-rate-limiters.shared.limit-refresh-period-ms", "2000"));

        assertThat(duration(environment, "asyncpatterns.calls.global-rate-limiters.shared.limit-refresh-period"))
            .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aNewKeySetItselfWinsOverItsOldNameWhichIsReportedIgnored() {
        StandardEnvironment environment = environment(Map.of("asyncpatterns.jobs.lease-ttl-ms", "1500",
                "asyncpatterns.cluster.lease-ttl", "20s"));

        assertThat(duration(environment, "asyncpatterns.cluster.lease-ttl")).isEqualTo(Duration.ofSeconds(20));
        assertThat(warnings).containsExactly(
                "asyncpatterns.jobs.lease-ttl-ms is ignored: asyncpatterns.cluster.lease-ttl is set. Remove the old key.");
    }

    @Test
    void withoutOldKeysNothingIsAddedOrSaid() {
        StandardEnvironment environment = environment(Map.of("asyncpatterns.jobs.max-wait", "5s"));

        assertThat(environment.getPropertySources().contains("asyncpatternsRenamedKeys")).isFalse();
        assertThat(warnings).isEmpty();
    }

    private StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        postProcess(environment);
        return environment;
    }

    private void postProcess(StandardEnvironment environment) {
        Log recording = new NoOpLog() {
            @Override
            public void warn(Object message) {
                warnings.add(String.valueOf(message));
            }
        };
        new RenamedKeys(destination -> recording).postProcessEnvironment(environment, null);
    }

    private static Duration duration(StandardEnvironment environment, String key) {
        return Binder.get(environment).bind(key, Duration.class).get();
    }
}
