package dev.asyncpatterns.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** One record binds all of {@code asyncpatterns.calls}, the global rate limiters included. */
class CallsPropertiesTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(Bound.class);

    @Test
    void theDefaultsHoldAndThereAreNoGlobalRateLimitersUnlessConfigured() {
        context.run(started -> {
            CallsProperties properties = started.getBean(CallsProperties.class);
            assertThat(properties.defaultTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.maxTimeout()).isEqualTo(Duration.ofSeconds(300));
            assertThat(properties.maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.globalRateLimiters()).isEmpty();
        });
    }

    @Test
    void globalRateLimitersBindUnderTheirDocumentedKeys() {
        context.withPropertyValues("asyncpatterns.calls.default-timeout=10s",
                "asyncpatterns.calls.global-rate-limiters.shared.limit-for-period=3",
                "asyncpatterns.calls.global-rate-limiters.shared.limit-refresh-period=60s")
            .run(started -> {
                CallsProperties properties = started.getBean(CallsProperties.class);
                assertThat(properties.defaultTimeout()).isEqualTo(Duration.ofSeconds(10));
                assertThat(properties.globalRateLimiters()).containsExactly(
                        Map.entry("shared", new GlobalRateLimit(3, Duration.ofMinutes(1))));
            });
    }

    @Test
    void aGlobalRateLimiterWithoutTokensIsRefusedAtStartup() {
        context.withPropertyValues("asyncpatterns.calls.global-rate-limiters.shared.limit-for-period=0",
                "asyncpatterns.calls.global-rate-limiters.shared.limit-refresh-period=60s")
            .run(started -> assertThat(started).hasFailed()
                .getFailure().rootCause().hasMessageContaining("limitForPeriod"));
    }

    @Test
    void aGlobalRateLimiterPeriodOverADayIsRefusedAtStartup() {
        context.withPropertyValues("asyncpatterns.calls.global-rate-limiters.shared.limit-for-period=3",
                "asyncpatterns.calls.global-rate-limiters.shared.limit-refresh-period=25h")
            .run(started -> assertThat(started).hasFailed()
                .getFailure().rootCause().hasMessageContaining("limitRefreshPeriod"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CallsProperties.class)
    static class Bound {
    }
}
