package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

import static dev.asyncpatterns.jobs.JobCaller.SYSTEM;
import static dev.asyncpatterns.jobs.JobRegistryFixture.MAPPER;
import static dev.asyncpatterns.jobs.JobRegistryFixture.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whole-job retries in the in-memory registry, on virtual time: the backoff between attempts, its
 * cap and jitter, cancel during a backoff, and the dead-letter requeue.
 */
class JobRetriesTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final JsonNode LEVEL_ONE = MAPPER.readTree("{\"level\": 1}");

    private final ControlledJobType controlled = new ControlledJobType();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private JobRegistry registry;

    @AfterEach
    void stopRegistry() throws InterruptedException {
        if (registry != null) {
            JobRegistryFixture.stop(registry, 5);
        }
        VirtualTimeScheduler.reset();
    }

    private JobView submit(RetryPolicy retry) {
        registry = JobRegistryFixture.registry(properties(5, 100, 3_600_000, 60_000, 0, 10), meters, controlled);
        return registry.submit(new JobRequest("controlled", LEVEL_ONE, null, null, null, null, null, retry, null), SYSTEM);
    }

    private JobView job(JobView job) {
        return registry.get(job.id().toString(), SYSTEM);
    }

    private double retries() {
        return meters.get("asyncpatterns.jobs.retries").counter().count();
    }

    @Test
    void aFailedAttemptRunsAgainAfterABackoffThatDoublesUpToItsCapAndTheLastAttemptsEndIsTheJobs() {
        JobView[] job = new JobView[1];
        StepVerifier.withVirtualTime(() -> {
            job[0] = submit(new RetryPolicy(4, 1_000L, 1_500L, null, null));
            return registry.events(job[0].id().toString(), SYSTEM)
                .filter(event -> event.name().equals(JobEvent.STATE))
                .map(event -> ((JobView) event.data()).state());
        })
            .expectNext(JobState.RUNNING)
            .then(() -> controlled.last().fail(new IllegalStateException("first")))
            .expectNext(JobState.SCHEDULED)
            .then(() -> assertThat(job(job[0]).nextAttemptAt()).isNotNull())
            .expectNoEvent(Duration.ofMillis(900))
            .thenAwait(Duration.ofMillis(200))
            .expectNext(JobState.PENDING, JobState.RUNNING)
            .then(() -> controlled.last().fail(new IllegalStateException("second")))
            .expectNext(JobState.SCHEDULED)
            // 2,000 ms by doubling, capped at maxBackoffMs.
            .expectNoEvent(Duration.ofMillis(1_400))
            .thenAwait(Duration.ofMillis(200))
            .expectNext(JobState.PENDING, JobState.RUNNING)
            .then(() -> controlled.last().fail(new IllegalStateException("third")))
            .expectNext(JobState.SCHEDULED)
            .thenAwait(Duration.ofMillis(1_600))
            .expectNext(JobState.PENDING, JobState.RUNNING)
            .then(() -> controlled.last().fail(new IllegalStateException("fourth")))
            .expectNext(JobState.FAILED)
            .expectComplete()
            .verify(VERIFY);
        JobView failed = job(job[0]);
        assertThat(controlled.runs).hasSize(4);
        assertThat(failed.attempt()).isEqualTo(4);
        assertThat(failed.maxAttempts()).isEqualTo(4);
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(failed.error().message()).isEqualTo("fourth");
        assertThat(failed.attempts()).extracting(JobAttempt::attempt).containsExactly(1, 2, 3, 4);
        assertThat(failed.attempts()).extracting(attempt -> attempt.error().message())
            .containsExactly("first", "second", "third", "fourth");
        assertThat(failed.attempts()).allSatisfy(attempt -> {
            assertThat(attempt.state()).isEqualTo(JobState.FAILED);
            assertThat(attempt.finishedAt()).isAfterOrEqualTo(attempt.startedAt());
        });
        assertThat(retries()).isEqualTo(3);
    }

    @Test
    void jitterBringsEachRetryForwardByAtMostItsShare() {
        JobView[] job = new JobView[1];
        Instant[] failedAt = new Instant[1];
        StepVerifier.withVirtualTime(() -> {
            job[0] = submit(new RetryPolicy(2, 10_000L, null, 0.5, List.of(JobState.FAILED)));
            return registry.events(job[0].id().toString(), SYSTEM)
                .filter(event -> event.name().equals(JobEvent.STATE))
                .map(event -> ((JobView) event.data()).state());
        })
            .expectNext(JobState.RUNNING)
            .then(() -> {
                failedAt[0] = Instant.now();
                controlled.last().fail(new IllegalStateException("once"));
            })
            .expectNext(JobState.SCHEDULED)
            .then(() -> assertThat(job(job[0]).nextAttemptAt())
                .isBetween(failedAt[0].plusMillis(4_990), Instant.now().plusMillis(10_010)))
            // Never before half the backoff, always by all of it.
            .expectNoEvent(Duration.ofMillis(4_900))
            .thenAwait(Duration.ofMillis(5_200))
            .expectNext(JobState.PENDING, JobState.RUNNING)
            .then(() -> controlled.last().succeed("second time"))
            .expectNext(JobState.SUCCEEDED)
            .expectComplete()
            .verify(VERIFY);
        assertThat(job(job[0]).attempts()).extracting(JobAttempt::state)
            .containsExactly(JobState.FAILED, JobState.SUCCEEDED);
    }

    @Test
    void aCancelDuringTheBackoffStopsTheRetries() {
        JobView[] job = new JobView[1];
        StepVerifier.withVirtualTime(() -> {
            job[0] = submit(new RetryPolicy(5, 1_000L, null, null, null));
            return registry.events(job[0].id().toString(), SYSTEM)
                .filter(event -> event.name().equals(JobEvent.STATE))
                .map(event -> ((JobView) event.data()).state());
        })
            .expectNext(JobState.RUNNING)
            .then(() -> controlled.last().fail(new IllegalStateException("first")))
            .expectNext(JobState.SCHEDULED)
            .then(() -> registry.cancel(job[0].id().toString(), SYSTEM))
            .expectNext(JobState.CANCELLED)
            // Far past every backoff the policy could ask for: no attempt starts.
            .thenAwait(Duration.ofMinutes(10))
            .then(() -> assertThat(controlled.runs).hasSize(1))
            .expectComplete()
            .verify(VERIFY);
        assertThat(job(job[0]).state()).isEqualTo(JobState.CANCELLED);
        assertThat(job(job[0]).attempts()).extracting(JobAttempt::state).containsExactly(JobState.FAILED);
        assertThat(registry.activeCount()).isZero();
    }

    @Test
    void aDeadJobRequeuedRunsOnceMoreWithoutNewBackoffButNotOnceSucceeded() {
        JobView[] job = new JobView[1];
        StepVerifier.withVirtualTime(() -> {
            job[0] = submit(new RetryPolicy(3, 1_000L, null, null, null));
            return registry.events(job[0].id().toString(), SYSTEM)
                .filter(event -> event.name().equals(JobEvent.STATE))
                .map(event -> ((JobView) event.data()).state());
        })
            .expectNext(JobState.RUNNING)
            .then(() -> registry.cancel(job[0].id().toString(), SYSTEM))
            .expectNext(JobState.CANCELLED)
            .expectComplete()
            .verify(VERIFY);
        StepVerifier.withVirtualTime(() -> {
            // Due at once: the virtual timer starts it within this call.
            registry.retry(job[0].id().toString(), SYSTEM);
            return registry.events(job[0].id().toString(), SYSTEM)
                .filter(event -> event.name().equals(JobEvent.STATE))
                .map(event -> ((JobView) event.data()).state());
        })
            .expectNext(JobState.RUNNING)
            .then(() -> assertThatThrownBy(() -> registry.retry(job[0].id().toString(), SYSTEM))
                .isInstanceOf(IllegalJobTransitionException.class))
            // Attempt 2 of 3, but a requeue brings no new backoff budget: this end is final.
            .then(() -> controlled.last().fail(new IllegalStateException("dead again")))
            .expectNext(JobState.FAILED)
            .expectComplete()
            .verify(VERIFY);
        JobView failed = job(job[0]);
        assertThat(failed.attempt()).isEqualTo(2);
        assertThat(failed.attempts()).extracting(JobAttempt::state).containsExactly(JobState.CANCELLED, JobState.FAILED);
        assertThat(retries()).isEqualTo(1);
        StepVerifier.withVirtualTime(() -> {
            registry.retry(job[0].id().toString(), SYSTEM);
            return registry.events(job[0].id().toString(), SYSTEM)
                .filter(event -> event.name().equals(JobEvent.STATE))
                .map(event -> ((JobView) event.data()).state());
        })
            .expectNext(JobState.RUNNING)
            .then(() -> controlled.last().succeed("at last"))
            .expectNext(JobState.SUCCEEDED)
            .expectComplete()
            .verify(VERIFY);
        assertThatThrownBy(() -> registry.retry(job[0].id().toString(), SYSTEM))
            .isInstanceOf(IllegalJobTransitionException.class);
        assertThat(job(job[0]).attempts()).hasSize(3);
    }
}
