package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class LocalGlobalRateLimitersTests {

    private final LocalGlobalRateLimiters limiters = new LocalGlobalRateLimiters(new CallsProperties(
            Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(30), Map.of("pair", new GlobalRateLimit(2, Duration.ofMinutes(1)))));

    @Test
    void aLimiterGivesItsTokensForThePeriodThenSaysWhenTheNextComes() {
        StepVerifier.create(limiters.tryAcquire("pair")).expectNext(Duration.ZERO).expectComplete()
            .verify(Duration.ofSeconds(5));
        StepVerifier.create(limiters.tryAcquire("pair")).expectNext(Duration.ZERO).expectComplete()
            .verify(Duration.ofSeconds(5));
        StepVerifier.create(limiters.tryAcquire("pair"))
            .assertNext(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60)))
            .expectComplete()
            .verify(Duration.ofSeconds(5));
        StepVerifier.create(limiters.availableTokens("pair")).expectNext(0L).expectComplete()
            .verify(Duration.ofSeconds(5));
        assertThat(limiters.backend()).isEqualTo("local");
    }
}
