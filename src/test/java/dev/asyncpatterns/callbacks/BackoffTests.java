package dev.asyncpatterns.callbacks;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void doublesPerTryWithinTheUpperHalfOfEachStep() {
        assertThat(backoff.delay(1, null, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(1, null, 0.999_999)).isEqualTo(Duration.ofMillis(999));
        assertThat(backoff.delay(3, null, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3, null, 0.5)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void neverWaitsLongerThanMaxHoweverManyTries() {
        assertThat(backoff.delay(7, null, 0.999_999)).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(50, null, 0.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(50, null, 0.999_999)).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60));
    }

    @Test
    void aRetryAfterIsAFloorUpToMax() {
        assertThat(backoff.delay(1, Duration.ofSeconds(5), 0.0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delay(6, Duration.ofSeconds(5), 0.0)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delay(1, Duration.ofHours(1), 0.0)).isEqualTo(Duration.ofSeconds(60));
    }
}
