package dev.asyncpatterns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import dev.asyncpatterns.jobs.JobsProperties;
import dev.asyncpatterns.patterns.PatternsProperties;
import dev.asyncpatterns.runtime.EventLoopProperties;
import dev.asyncpatterns.security.AccessControlProperties;
import dev.asyncpatterns.tcp.TcpProperties;

/**
 * Every former {@code -ms} key takes a Spring Boot duration, and a value outside its bounds stops
 * startup with a message that names the key, so a typo in a unit cannot slip through silently.
 */
class DurationKeysTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(Bound.class);

    /** key, its accessor, and a value just outside its bounds. */
    static Stream<Arguments> durationKeys() {
        return Stream.of(
            key("asyncpatterns.jobs.max-wait", JobsProperties.class, JobsProperties::maxWait, "61m"),
            key("asyncpatterns.jobs.shutdown-grace", JobsProperties.class, JobsProperties::shutdownGrace, "11m"),
            key("asyncpatterns.jobs.sse-keep-alive", JobsProperties.class, JobsProperties::sseKeepAlive, "99ms"),
            key("asyncpatterns.jobs.idempotency-ttl", JobsProperties.class, JobsProperties::idempotencyTtl, "31d"),
            key("asyncpatterns.jobs.retention.max-age", JobsProperties.class, p -> p.retention().maxAge(), "8d"),
            key("asyncpatterns.patterns.max-run", PatternsProperties.class, PatternsProperties::maxRun, "99ms"),
            key("asyncpatterns.tcp.idle-timeout", TcpProperties.class, TcpProperties::idleTimeout, "61m"),
            key("asyncpatterns.tcp.client.connect-timeout", TcpProperties.class, p -> p.client().connectTimeout(), "0ms"),
            key("asyncpatterns.tcp.client.read-timeout", TcpProperties.class, p -> p.client().readTimeout(), "3m"),
            key("asyncpatterns.eventloop.interval", EventLoopProperties.class, EventLoopProperties::interval, "9ms"),
            key("asyncpatterns.eventloop.warn-threshold", EventLoopProperties.class, EventLoopProperties::warnThreshold, "2m"),
            key("asyncpatterns.security.rate-limit.limit-refresh-period", AccessControlProperties.class,
                    p -> p.rateLimit().limitRefreshPeriod(), "61m"));
    }

    private static <P> Arguments key(String key, Class<P> type, Function<P, Duration> read, String outOfBounds) {
        return Arguments.of(key, type, read, outOfBounds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationKeys")
    <P> void bindsAUnitSuffixedDuration(String key, Class<P> type, Function<P, Duration> read, String outOfBounds) {
        context.withPropertyValues(key + "=250ms")
            .run(started -> assertThat(read.apply(started.getBean(type))).isEqualTo(Duration.ofMillis(250)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durationKeys")
    <P> void refusesToStartOutsideItsBounds(String key, Class<P> type, Function<P, Duration> read, String outOfBounds) {
        context.withPropertyValues(key + "=" + outOfBounds)
            .run(started -> {
                assertThat(started).hasFailed();
                // Boot names a nested field in its Java spelling (tcp.client.readTimeout), which
                // relaxed binding accepts as the same key; compare without dashes and case.
                String message = NestedExceptionUtils.getMostSpecificCause(started.getStartupFailure()).getMessage().toLowerCase(Locale.ROOT);
                assertThat(message).contains(key.replace("-", ""));
            });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ JobsProperties.class, PatternsProperties.class, TcpProperties.class,
            EventLoopProperties.class, AccessControlProperties.class })
    static class Bound {
    }
}
