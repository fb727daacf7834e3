package dev.asyncpatterns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Configuration keys this version renamed keep working: each old key is read into its new one
 * (unless the new one is set itself), with a warning at start-up naming the new key. Keys that
 * took milliseconds now take a Duration, so a bare number under an old {@code -ms} key is read as
 * milliseconds. An old key must never be dropped silently: a deployment would run on a default it
 * did not ask for (a shutdown grace, a rate limit's period) without a word.
 */
public class RenamedKeys implements EnvironmentPostProcessor {

    private static final String SOURCE = "asyncpatternsRenamedKeys";
    private static final String MILLIS = "ms";

    /** Old key, new key, and the unit a bare number under the old key meant. */
    private record Rename(String old, String current, String unit) {
    }

    private static final List<Rename> RENAMES = List.of(
            new Rename("asyncpatterns.instance-id", "asyncpatterns.cluster.instance-id", ""),
            new Rename("asyncpatterns.jobs.on-instance-loss", "asyncpatterns.cluster.on-instance-loss", ""),
            new Rename("asyncpatterns.jobs.lease-ttl-ms", "asyncpatterns.cluster.lease-ttl", MILLIS),
            new Rename("asyncpatterns.jobs.max-wait-ms", "asyncpatterns.jobs.max-wait", MILLIS),
            new Rename("asyncpatterns.jobs.shutdown-grace-ms", "asyncpatterns.jobs.shutdown-grace", MILLIS),
            new Rename("asyncpatterns.jobs.sse-keep-alive-ms", "asyncpatterns.jobs.sse-keep-alive", MILLIS),
            new Rename("asyncpatterns.jobs.idempotency-ttl-ms", "asyncpatterns.jobs.idempotency-ttl", MILLIS),
            new Rename("asyncpatterns.jobs.retention.max-age-ms", "asyncpatterns.jobs.retention.max-age", MILLIS),
            new Rename("asyncpatterns.patterns.max-run-ms", "asyncpatterns.patterns.max-run", MILLIS),
            new Rename("asyncpatterns.tcp.idle-timeout-ms", "asyncpatterns.tcp.idle-timeout", MILLIS),
            new Rename("asyncpatterns.tcp.client.connect-timeout-ms", "asyncpatterns.tcp.client.connect-timeout", MILLIS),
            new Rename("asyncpatterns.tcp.client.read-timeout-ms", "asyncpatterns.tcp.client.read-timeout", MILLIS),
            new Rename("asyncpatterns.eventloop.interval-ms", "asyncpatterns.eventloop.interval", MILLIS),
            new Rename("asyncpatterns.eventloop.warn-threshold-ms", "asyncpatterns.eventloop.warn-threshold", MILLIS),
            new Rename("asyncpatterns.security.rate-limit.limit-refresh-period-ms",
                    "asyncpatterns.security.rate-limit.limit-refresh-period", MILLIS));

    /** Each named global rate limiter's old key, under this map. */
    private static final String GLOBAL_LIMITERS = "asyncpatterns.calls.global-rate-limiters";

    private final Log log;

    public RenamedKeys(DeferredLogFactory logs) {
        this.log = logs.getLog(RenamedKeys.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Rename rename : RENAMES) {
            carry(binder, values, rename);
        }
        binder.bind(GLOBAL_LIMITERS, Bindable.mapOf(String.class, Object.class)).ifBound(limiters -> limiters.keySet()
            .forEach(name -> carry(binder, values, new Rename(GLOBAL_LIMITERS + "." + name + ".limit-refresh-period-ms",
                    GLOBAL_LIMITERS + "." + name + ".limit-refresh-period", MILLIS))));
        if (!values.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE, values));
        }
    }

    private void carry(Binder binder, Map<String, Object> values, Rename rename) {
        binder.bind(rename.old(), String.class).ifBound(value -> {
            if (binder.bind(rename.current(), String.class).isBound()) {
                log.warn(rename.old() + " is ignored: " + rename.current() + " is set. Remove the old key.");
                return;
            }
            String trimmed = value.trim();
            boolean bareNumber = !trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit);
            values.put(rename.current(), bareNumber ? trimmed + rename.unit() : trimmed);
            log.warn(rename.old() + " was renamed " + rename.current() + "; it still works, but use the new key.");
        });
    }
}
