package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import dev.asyncpatterns.jobs.type.TickerJobType;
import dev.asyncpatterns.web.BadRequestException;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static dev.asyncpatterns.jobs.JobCaller.SYSTEM;
import static dev.asyncpatterns.jobs.JobRegistryFixture.properties;
import static dev.asyncpatterns.jobs.JobRegistryFixture.registry;
import static dev.asyncpatterns.jobs.JobRegistryFixture.request;
import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRegistryTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final ControlledJobType controlled = new ControlledJobType();
    private SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private JobRegistry registry = registry(properties(3, 100, 3_600_000, 60_000, 100), meters, controlled);

    @AfterEach
    void stopRegistry() throws InterruptedException {
        stop(registry);
        VirtualTimeScheduler.reset();
    }

    private static void stop(JobRegistry registry) throws InterruptedException {
        JobRegistryFixture.stop(registry, 5);
    }

    /** Swaps the default registry for one with other bounds (and fresh meters). */
    private void reconfigure(JobsProperties properties, JobType<?>... extraTypes) throws InterruptedException {
        stop(registry);
        meters = new SimpleMeterRegistry();
        JobType<?>[] types = Stream.concat(Stream.of(controlled), Arrays.stream(extraTypes)).toArray(JobType<?>[]::new);
        registry = registry(properties, meters, types);
    }

    private JobView submit() {
        return registry.submit(request("controlled", "{\"level\": 1}", null), SYSTEM);
    }

    @Test
    void aSubmittedJobIsRunningAtOnceAndSucceedsWithTheValueItsWorkEmits() {
        JobView job = submit();
        assertThatJob(job).hasState(JobState.RUNNING);
        assertThat(job.startedAt()).isNotNull();
        assertThat(job.params()).isEqualTo(new ControlledJobType.Params(1));

        controlled.last().succeed("done");

        assertThatJob(registry.get(job.id().toString(), SYSTEM)).succeededWith("done");
    }

    @Test
    void aFailingJobRecordsTheErrorTypeAndMessage() {
        JobView job = submit();
        controlled.last().fail(new IllegalStateException("upstream said no"));

        JobView failed = registry.get(job.id().toString(), SYSTEM);
        assertThatJob(failed).failedWith("IllegalStateException");
        assertThat(failed.error().message()).isEqualTo("upstream said no");
    }

    @Test
    void cancelMakesTheJobCancelledByTheUserAndCancelsItsWork() {
        JobView job = submit();

        JobView cancelled = registry.cancel(job.id().toString(), SYSTEM);

        assertThatJob(cancelled).isCancelledBecause(CancelReason.USER);
        controlled.last().probe().assertWasCancelled();
    }

    @Test
    void aCompletionArrivingAfterCancelDoesNotChangeTheTerminalState() {
        JobView job = submit();
        registry.cancel(job.id().toString(), SYSTEM);

        controlled.last().succeed("too late");

        assertThatJob(registry.get(job.id().toString(), SYSTEM)).isCancelledBecause(CancelReason.USER);
        assertThat(registry.get(job.id().toString(), SYSTEM).result()).isNull();
    }

    @Test
    void cancellingATerminalJobIsAnIllegalTransition() {
        JobView job = submit();
        controlled.last().succeed("done");

        assertThatThrownBy(() -> registry.cancel(job.id().toString(), SYSTEM))
            .isInstanceOfSatisfying(IllegalJobTransitionException.class, ex -> {
                assertThat(ex.getStatusCode().value()).isEqualTo(409);
                assertThat(ex.from()).isEqualTo(JobState.SUCCEEDED);
                assertThat(ex.to()).isEqualTo(JobState.CANCELLED);
            });
        assertThatJob(registry.get(job.id().toString(), SYSTEM)).succeededWith("done");
    }

    @Test
    void cancelRacingCompletionEndsEveryJobInExactlyOneTerminalStateCountedOnce() throws Exception {
        reconfigure(properties(1_000, 1_000, 3_600_000, 60_000, 1_000));
        int jobs = 200;
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < jobs; i++) {
                JobView job = submit();
                ControlledJobType.Run run = controlled.last();
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicBoolean cancelWon = new AtomicBoolean();
                Future<?> cancel = racers.submit(() -> {
                    start.await();
                    try {
                        registry.cancel(job.id().toString(), SYSTEM);
                        cancelWon.set(true);
                    }
                    catch (IllegalJobTransitionException lost) {
                        // the completion got there first
                    }
                    return null;
                });
                Future<?> complete = racers.submit(() -> {
                    start.await();
                    run.succeed("value");
                    return null;
                });
                cancel.get(5, TimeUnit.SECONDS);
                complete.get(5, TimeUnit.SECONDS);
                JobView after = registry.get(job.id().toString(), SYSTEM);
                assertThatJob(after).hasState(cancelWon.get() ? JobState.CANCELLED : JobState.SUCCEEDED).isTerminal();
            }
        }
        finally {
            racers.shutdownNow();
        }
        double finished = meters.find("asyncpatterns.jobs.finished").counters().stream()
            .mapToDouble(c -> c.count()).sum();
        assertThat(finished).isEqualTo(jobs);
        assertThat(registry.activeCount()).isZero();
    }

    @Test
    void timeoutMakesTheJobTimedOutAndCancelsItsWork() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        JobView job = registry.submit(request("controlled", null, 5_000L), SYSTEM);

        time.advanceTimeBy(Duration.ofMillis(4_999));
        assertThatJob(registry.get(job.id().toString(), SYSTEM)).hasState(JobState.RUNNING);
        controlled.last().probe().assertWasNotCancelled();

        time.advanceTimeBy(Duration.ofMillis(1));
        JobView timedOut = registry.get(job.id().toString(), SYSTEM);
        assertThatJob(timedOut).hasState(JobState.TIMED_OUT).isTerminal();
        assertThat(timedOut.timeoutMs()).isEqualTo(5_000L);
        controlled.last().probe().assertWasCancelled();
    }

    @Test
    void aTimedOutTickerStopsTickingAndItsEventsEndWithTimedOut() throws InterruptedException {
        reconfigure(properties(3, 100, 3_600_000, 60_000, 100), new TickerJobType());
        StepVerifier.withVirtualTime(() -> registry.events(
                registry.submit(request("ticker", "{\"intervalMs\": 300}", 1_000L), SYSTEM).id().toString(), SYSTEM))
            .assertNext(event -> assertThatJob((JobView) event.data()).hasState(JobState.RUNNING))
            .assertNext(event -> assertThat(event.data()).isEqualTo(new JobView.Progress(0, null)))
            .expectNoEvent(Duration.ofMillis(299))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(event -> assertThat(event.data()).isEqualTo(new JobView.Progress(1, null)))
            .thenAwait(Duration.ofMillis(600))
            .expectNextCount(2)
            .thenAwait(Duration.ofMillis(100))
            .assertNext(event -> assertThatJob((JobView) event.data()).hasState(JobState.TIMED_OUT).hasProgress(3, null))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void aTimeoutExceptionFromTheWorkItselfIsAFailureNotATimeout() {
        JobView job = registry.submit(request("controlled", null, 60_000L), SYSTEM);
        controlled.last().fail(new RuntimeException(new TimeoutException("inner")));
        assertThatJob(registry.get(job.id().toString(), SYSTEM)).failedWith("RuntimeException");
    }

    @Test
    void pastMaxActiveSubmitIsRefusedWithRetryAfterUntilAJobEnds() {
        submit();
        submit();
        JobView third = submit();

        assertThatThrownBy(this::submit).isInstanceOfSatisfying(RegistryFullException.class, ex -> {
            assertThat(ex.getStatusCode().value()).isEqualTo(429);
            assertThat(ex.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        });
        assertThat(controlled.runs).hasSize(3);

        registry.cancel(third.id().toString(), SYSTEM);
        assertThatJob(submit()).hasState(JobState.RUNNING);
    }

    @Test
    void unknownTypeAndInvalidParamsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> registry.submit(request("nope", null, null), SYSTEM))
            .isInstanceOfSatisfying(BadRequestException.class,
                    ex -> assertThat(ex.getBody().getProperties().get("errors").toString()).contains("field=type"));
        assertThatThrownBy(() -> registry.submit(request("controlled", "{\"level\": 11}", null), SYSTEM))
            .isInstanceOfSatisfying(InvalidJobRequestException.class,
                    ex -> assertThat(ex.getBody().getProperties().get("errors").toString()).contains("field=params.level"));
        assertThatThrownBy(() -> registry.submit(request("controlled", "{\"level\": \"high\"}", null), SYSTEM))
            .isInstanceOfSatisfying(BadRequestException.class,
                    ex -> assertThat(ex.getBody().getDetail()).startsWith("params.level:"));
        assertThatThrownBy(() -> registry.submit(request("controlled", "{\"levle\": 1}", null), SYSTEM))
            .isInstanceOfSatisfying(BadRequestException.class,
                    ex -> assertThat(ex.getBody().getDetail()).startsWith("params.levle:"));
        assertThat(controlled.runs).isEmpty();
        assertThat(registry.activeCount()).isZero();
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        assertThatThrownBy(() -> registry.get("not-a-uuid", SYSTEM)).isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> registry.cancel(UUID.randomUUID().toString(), SYSTEM))
            .isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void deleteForgetsOnlyTerminalJobs() {
        JobView job = submit();
        String id = job.id().toString();

        assertThatThrownBy(() -> registry.delete(id, SYSTEM)).isInstanceOf(JobNotTerminalException.class);
        registry.cancel(id, SYSTEM);
        registry.delete(id, SYSTEM);

        assertThatThrownBy(() -> registry.get(id, SYSTEM)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void retentionKeepsOnlyTheNewestFinishedJobsByCount() throws InterruptedException {
        reconfigure(properties(100, 2, 3_600_000, 60_000, 1_000));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(submit().id().toString());
            controlled.last().succeed("v" + i);
        }
        JobView running = submit();

        assertThat(registry.list(null, null, null, SYSTEM)).extracting(j -> j.id().toString())
            .containsExactly(running.id().toString(), ids.get(3), ids.get(2));
        assertThatThrownBy(() -> registry.get(ids.get(0), SYSTEM)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void retentionForgetsFinishedJobsOlderThanTheMaxAge() throws InterruptedException {
        reconfigure(properties(100, 100, 0, 60_000, 1_000));
        JobView job = submit();
        JobView running = submit();
        controlled.runs.get(0).succeed("old");

        assertThat(registry.list(null, null, null, SYSTEM)).extracting(JobView::id).containsExactly(running.id());
        assertThatThrownBy(() -> registry.get(job.id().toString(), SYSTEM)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void listIsNewestFirstFilteredByStateAndTypeAndBoundedByLimit() {
        JobView first = submit();
        JobView second = submit();
        JobView third = submit();
        registry.cancel(second.id().toString(), SYSTEM);

        assertThat(registry.list(null, null, null, SYSTEM)).extracting(JobView::id)
            .containsExactly(third.id(), second.id(), first.id());
        assertThat(registry.list(JobState.RUNNING, null, null, SYSTEM)).extracting(JobView::id)
            .containsExactly(third.id(), first.id());
        assertThat(registry.list(null, "controlled", 1, SYSTEM)).extracting(JobView::id).containsExactly(third.id());
        assertThatThrownBy(() -> registry.list(null, null, 501, SYSTEM)).isInstanceOf(BadRequestException.class)
            .hasMessageContaining("limit");
        assertThatThrownBy(() -> registry.list(null, null, 0, SYSTEM)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> registry.list(null, "nope", null, SYSTEM)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void awaitAnswersAsSoonAsTheJobIsTerminal() {
        JobView job = submit();
        StepVerifier.create(registry.await(job.id().toString(), 30_000, SYSTEM))
            .expectSubscription()
            .then(() -> controlled.last().succeed("awaited"))
            .assertNext(view -> assertThatJob(view).succeededWith("awaited"))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void awaitIsCappedByMaxWaitAndLeavesTheJobRunning() {
        JobView job = submit();
        StepVerifier.withVirtualTime(() -> registry.await(job.id().toString(), 3_600_000, SYSTEM))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(59_999))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(view -> assertThatJob(view).hasState(JobState.RUNNING))
            .expectComplete()
            .verify(VERIFY);
        controlled.last().probe().assertWasNotCancelled();
    }

    @Test
    void eventsReportStateAndProgressAndEndAfterTheTerminalState() {
        JobView job = submit();
        ControlledJobType.Run run = controlled.last();
        StepVerifier.create(registry.events(job.id().toString(), SYSTEM))
            .assertNext(event -> assertThat(event.name()).isEqualTo("state"))
            .assertNext(event -> assertThat(event.name()).isEqualTo("progress"))
            .then(() -> run.context().progress(1, 2))
            .assertNext(event -> {
                assertThat(event.name()).isEqualTo("progress");
                assertThat(event.data()).isEqualTo(new JobView.Progress(1, 2L));
            })
            .then(() -> run.succeed("end"))
            .assertNext(event -> {
                assertThat(event.name()).isEqualTo("state");
                assertThatJob((JobView) event.data()).succeededWith("end");
            })
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void eventsOfAFinishedJobAreItsFinalStateAndEndAtOnce() {
        JobView job = submit();
        controlled.last().succeed("end");
        StepVerifier.create(registry.events(job.id().toString(), SYSTEM))
            .assertNext(event -> assertThatJob((JobView) event.data()).succeededWith("end"))
            .assertNext(event -> assertThat(event.name()).isEqualTo("progress"))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void metersCountStartedFinishedByStateAndTypeActiveAndDuration() {
        JobView a = submit();
        submit();
        controlled.runs.get(0).succeed("x");

        assertThat(meters.get("asyncpatterns.jobs.started").counter().count()).isEqualTo(2);
        assertThat(meters.get("asyncpatterns.jobs.finished").tag("state", "SUCCEEDED").tag("type", "controlled")
            .counter().count()).isEqualTo(1);
        assertThat(meters.get("asyncpatterns.jobs.active").gauge().value()).isEqualTo(1);
        assertThat(meters.get("asyncpatterns.jobs.duration").tag("type", "controlled").timer().count()).isEqualTo(1);
        assertThat(a.id()).isNotNull();
    }

    @Test
    void stopLetsJobsFinishWithinGraceThenCancelsTheRestForShutdown() throws InterruptedException {
        reconfigure(properties(3, 100, 3_600_000, 60_000, 2_000));
        JobView finishing = submit();
        JobView stuck = submit();
        CountDownLatch stopped = new CountDownLatch(1);

        registry.stop(stopped::countDown);
        assertThat(registry.isAccepting()).isFalse();
        assertThatThrownBy(this::submit).isInstanceOf(ShuttingDownException.class);
        controlled.runs.get(0).succeed("in time");

        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.isRunning()).isFalse();
        assertThatJob(registry.get(finishing.id().toString(), SYSTEM)).succeededWith("in time");
        assertThatJob(registry.get(stuck.id().toString(), SYSTEM)).isCancelledBecause(CancelReason.SHUTDOWN);
        controlled.runs.get(1).probe().assertWasCancelled();
        registry.start();
    }

    @Test
    void theSynchronousStopDrainsTheSameWay() {
        JobView running = submit();
        registry.stop();
        assertThat(registry.isRunning()).isFalse();
        assertThatJob(registry.get(running.id().toString(), SYSTEM)).isCancelledBecause(CancelReason.SHUTDOWN);
        registry.start();
    }

    @Test
    void stopWithNothingRunningCallsBackAtOnce() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        registry.stop(stopped::countDown);
        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
        registry.start();
        assertThatJob(submit()).hasState(JobState.RUNNING);
    }
}
