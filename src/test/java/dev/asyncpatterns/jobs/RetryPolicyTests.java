package dev.asyncpatterns.jobs;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.web.BadRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backoff formula of API.md section 11, its jitter bounds, and the 400 naming each bad field. */
class RetryPolicyTests {

    private static RetryPolicy policy(int maxAttempts, long backoffMs, Long maxBackoffMs, Double jitter) {
        return new RetryPolicy(maxAttempts, backoffMs, maxBackoffMs, jitter, null).normalized();
    }

    @Test
    void theBackoffDoublesFromBackoffMsUntilMaxBackoffMs() {
        RetryPolicy policy = policy(10, 100, 1_000L, null);
        assertThat(List.of(1, 2, 3, 4, 5, 6)).map(n -> policy.delayMs(n, 0.99))
            .containsExactly(100L, 200L, 400L, 800L, 1_000L, 1_000L);
    }

    @Test
    void jitterTakesAtMostItsShareOffEachWait() {
        RetryPolicy policy = policy(10, 1_000, null, 0.25);
        assertThat(policy.delayMs(2, 0.0)).isEqualTo(2_000);
        assertThat(policy.delayMs(2, 0.5)).isEqualTo(1_750);
        assertThat(policy.delayMs(2, Math.nextDown(1.0))).isBetween(1_500L, 1_501L);
    }

    @Test
    void defaultsRetryFailedOnlyWithoutJitterAndUpToMaxAttempts() {
        RetryPolicy policy = policy(3, 100, null, null);
        assertThat(policy.retryOn()).containsExactly(JobState.FAILED);
        assertThat(policy.jitter()).isZero();
        assertThat(policy.maxBackoffMs()).isEqualTo(StartTime.MAX_DELAY_MS);
        assertThat(policy.retries(JobState.FAILED, 2)).isTrue();
        assertThat(policy.retries(JobState.FAILED, 3)).isFalse();
        assertThat(policy.retries(JobState.TIMED_OUT, 1)).isFalse();
        // 2^49 times a day would overflow a long; the cap holds.
        assertThat(policy(20, 86_400_000, null, null).delayMs(50, 0)).isEqualTo(StartTime.MAX_DELAY_MS);
    }

    @Test
    void eachBadValueIsA400NamingItsField() {
        assertField(new RetryPolicy(0, 100L, null, null, null), "retry.maxAttempts");
        assertField(new RetryPolicy(21, 100L, null, null, null), "retry.maxAttempts");
        assertField(new RetryPolicy(null, 100L, null, null, null), "retry.maxAttempts");
        assertField(new RetryPolicy(3, -1L, null, null, null), "retry.backoffMs");
        assertField(new RetryPolicy(3, null, null, null, null), "retry.backoffMs");
        assertField(new RetryPolicy(3, 100L, -5L, null, null), "retry.maxBackoffMs");
        assertField(new RetryPolicy(3, 100L, null, 1.5, null), "retry.jitter");
        assertField(new RetryPolicy(3, 100L, null, Double.NaN, null), "retry.jitter");
        assertField(new RetryPolicy(3, 100L, null, null, List.of(JobState.CANCELLED)), "retry.retryOn");
        assertField(new RetryPolicy(3, 100L, null, null, List.of()), "retry.retryOn");
    }

    private static void assertField(RetryPolicy policy, String field) {
        assertThatThrownBy(policy::normalized).isInstanceOfSatisfying(BadRequestException.class,
                bad -> assertThat(bad.getBody().getDetail()).startsWith(field + ":"));
    }
}
