package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

import static dev.asyncpatterns.jobs.JobCaller.SYSTEM;
import static dev.asyncpatterns.jobs.JobRegistryFixture.MAPPER;
import static dev.asyncpatterns.jobs.JobRegistryFixture.properties;
import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code loop.call_later} for jobs in the in-memory registry, on virtual time: the registry is
 * built once the virtual clock replaced the schedulers, so its one timer is the virtual one.
 */
class DelayedStartsTests {

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

    private JobRegistry registry(int maxActive, int maxScheduled) {
        registry = JobRegistryFixture.registry(properties(maxActive, 100, 3_600_000, 60_000, 0, maxScheduled), meters,
                controlled);
        return registry;
    }

    private static JobRequest delayed(long delayMs) {
        return new JobRequest("controlled", LEVEL_ONE, null, null, null, null, delayMs);
    }

    private JobState state(JobView job) {
        return registry.get(job.id().toString(), SYSTEM).state();
    }

    @Test
    void aDelayedJobWaitsScheduledUntilItsTimeThenBecomesDueAndRuns() {
        StepVerifier.withVirtualTime(() -> {
            JobView job = registry(5, 10).submit(delayed(5_000), SYSTEM);
            assertThat(job.nextAttemptAt()).isNotNull();
            return registry.events(job.id().toString(), SYSTEM)
                .filter(event -> event.name().equals(JobEvent.STATE))
                .map(event -> ((JobView) event.data()).state());
        })
            .expectNext(JobState.SCHEDULED)
            .expectNoEvent(Duration.ofMillis(4_900))
            .thenAwait(Duration.ofMillis(200))
            .expectNext(JobState.PENDING, JobState.RUNNING)
            .then(() -> controlled.last().succeed("on time"))
            .expectNext(JobState.SUCCEEDED)
            .expectComplete()
            .verify(VERIFY);
        assertThat(meters.get("asyncpatterns.jobs.start.lateness").timer().count()).isEqualTo(1);
    }

    @Test
    void aCancelledScheduledJobNeverStarts() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
        JobView job = registry(5, 10).submit(delayed(1_000), SYSTEM);

        assertThatJob(registry.cancel(job.id().toString(), SYSTEM)).isCancelledBecause(CancelReason.USER);
        clock.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(controlled.runs).isEmpty();
        assertThat(state(job)).isEqualTo(JobState.CANCELLED);
        assertThat(meters.get("asyncpatterns.jobs.scheduled").gauge().value()).isZero();
    }

    @Test
    void aDueJobWaitsPendingForAFreeSlotAndStartsWhenOneIsFreed() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
        JobView running = registry(1, 10).submit(delayed(0), SYSTEM);
        clock.advanceTimeBy(Duration.ZERO);
        JobView waiting = registry.submit(delayed(1_000), SYSTEM);
        clock.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(state(running)).isEqualTo(JobState.RUNNING);
        assertThat(state(waiting)).as("due, but the one slot is taken").isEqualTo(JobState.PENDING);

        controlled.runs.get(0).succeed("first");

        assertThat(state(waiting)).isEqualTo(JobState.RUNNING);
        assertThat(controlled.runs).hasSize(2);
    }

    @Test
    void maxScheduledBoundsTheWaitingJobsAndACancelFreesItsPlace() {
        VirtualTimeScheduler.getOrSet();
        JobView first = registry(5, 2).submit(delayed(60_000), SYSTEM);
        registry.submit(delayed(60_000), SYSTEM);

        assertThatThrownBy(() -> registry.submit(delayed(60_000), SYSTEM))
            .isInstanceOfSatisfying(RegistryFullException.class, full -> {
                assertThat(full.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                assertThat(full.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
                assertThat(full.getBody().getProperties()).containsEntry("maxScheduled", 2);
            });

        registry.cancel(first.id().toString(), SYSTEM);
        assertThatJob(registry.submit(delayed(60_000), SYSTEM)).hasState(JobState.SCHEDULED);
    }

    @Test
    void shutdownCancelsScheduledJobsSoTheyNeverStart() throws InterruptedException {
        VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
        registry(5, 10).submit(delayed(1_000), SYSTEM);
        CountDownLatch stopped = new CountDownLatch(1);
        registry.stop(stopped::countDown);
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
        registry = null;

        assertThat(controlled.runs).isEmpty();
        assertThat(meters.get("asyncpatterns.jobs.scheduled").gauge().value()).isZero();
    }

    @Test
    void aRegistryBuiltBeforeTheSchedulersWereReplacedStillTimesItsJobs() {
        // As a Spring context cached across test classes is: built and timing jobs first (the
        // single scheduler is cached now), then a test swaps the schedulers, disposing the cached ones.
        // The first job's time is far off so nothing of it runs on a real thread while the test
        // goes on (a due job draining there could still be starting the second one at the assertion).
        registry(5, 10).submit(delayed(3_600_000), SYSTEM);
        VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();

        JobView later = registry.submit(delayed(1_000), SYSTEM);
        clock.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(state(later)).isEqualTo(JobState.RUNNING);
    }
}
