package dev.asyncpatterns.jobs;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.web.BadRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartTimeTests {

    private static final long NOW = 1_800_000_000_000L;

    private static JobRequest request(Instant runAt, Long delayMs) {
        return new JobRequest("sleep", null, null, null, null, runAt, delayMs);
    }

    private static void assertRejected(JobRequest request, String field) {
        assertThatThrownBy(() -> StartTime.dueAt(request, NOW)).isInstanceOfSatisfying(BadRequestException.class,
                bad -> assertThat(bad.getBody().getDetail()).startsWith(field + ": "));
    }

    @Test
    void neitherFieldStartsAtOnce() {
        assertThat(StartTime.dueAt(request(null, null), NOW)).isEmpty();
    }

    @Test
    void delayMsIsCountedFromNowAndRunAtIsTakenAsGiven() {
        assertThat(StartTime.dueAt(request(null, 5_000L), NOW)).hasValue(NOW + 5_000);
        assertThat(StartTime.dueAt(request(null, 0L), NOW)).hasValue(NOW);
        assertThat(StartTime.dueAt(request(Instant.ofEpochMilli(NOW + 60_000), null), NOW)).hasValue(NOW + 60_000);
        assertThat(StartTime.dueAt(request(null, StartTime.MAX_DELAY_MS), NOW)).hasValue(NOW + StartTime.MAX_DELAY_MS);
    }

    @Test
    void aRunAtInThePastIsDueNow() {
        assertThat(StartTime.dueAt(request(Instant.ofEpochMilli(NOW - 60_000), null), NOW)).hasValue(NOW);
        assertThat(StartTime.dueAt(request(Instant.MIN, null), NOW)).hasValue(NOW);
    }

    @Test
    void badStartsAreRejectedNamingTheField() {
        assertRejected(request(Instant.ofEpochMilli(NOW), 1_000L), "runAt");
        assertRejected(request(null, -1L), "delayMs");
        assertRejected(request(null, StartTime.MAX_DELAY_MS + 1), "delayMs");
        assertRejected(request(Instant.ofEpochMilli(NOW + StartTime.MAX_DELAY_MS + 1), null), "runAt");
        assertRejected(request(Instant.MAX, null), "runAt");
    }
}
