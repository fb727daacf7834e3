package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.web.BadRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The rules of an {@code Idempotency-Key} over the in-memory keys, with the store beneath mocked:
 * one submit per key, a replay of the first answer, 422 for another body, 409 while the first is
 * admitted, a released key after a refused submit, and forgetting after the TTL (Caffeine's ticker).
 */
class IdempotentSubmitsTests {

    private static final Duration VERIFY = Duration.ofSeconds(10);
    private static final JobCaller ALICE = new JobCaller("alice", false);
    private static final JobRequest SLEEP = JobRegistryFixture.request("sleep", "{\"durationMs\": 100, \"steps\": 2}", null);

    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobStore store = mock(JobStore.class);
    private final IdempotentSubmits submits = new IdempotentSubmits(store,
            new MemoryIdempotencyKeys(Duration.ofHours(24), 1 << 20, nanos::get), JobRegistryFixture.MAPPER, meters);

    private static JobView job() {
        return new JobView(JobId.random(), "sleep", null, JobState.RUNNING, Map.of("durationMs", 100), null,
                new JobView.Progress(0, 2L), null, null, null, Instant.now(), Instant.now(), null, "alice");
    }

    private IdempotentSubmits.Submitted submit(JobRequest request, JobCaller caller, String key) {
        return submits.submit(request, caller, key).block(VERIFY);
    }

    @Test
    void aRepeatWithTheSameKeyAndBodyStartsNothingAndReplaysTheFirstAnswer() {
        JobView first = job();
        when(store.submit(any(), any())).thenReturn(Mono.just(first));

        IdempotentSubmits.Submitted original = submit(SLEEP, ALICE, "k1");
        IdempotentSubmits.Submitted repeat = submit(
                JobRegistryFixture.request("sleep", "{\"steps\": 2, \"durationMs\": 100}", null), ALICE, "k1");

        assertThat(original).isEqualTo(new IdempotentSubmits.Submitted(first, false));
        assertThat(repeat).isEqualTo(new IdempotentSubmits.Submitted(first, true));
        verify(store, times(1)).submit(any(), any());
        assertThat(meters.counter("asyncpatterns.jobs.idempotent.replayed").count()).isOne();
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndStartsNothing() {
        when(store.submit(any(), any())).thenReturn(Mono.just(job()));
        submit(SLEEP, ALICE, "k1");

        StepVerifier.create(submits.submit(JobRegistryFixture.request("sleep", "{\"durationMs\": 101, \"steps\": 2}",
                null), ALICE, "k1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(IdempotencyKeyConflictException.class,
                    conflict -> assertThat(conflict.getStatusCode().value()).isEqualTo(422)))
            .verify(VERIFY);
        verify(store, times(1)).submit(any(), any());
    }

    @Test
    void keysAreScopedPerCallerAndAbsentKeysNeverDeduplicate() {
        when(store.submit(any(), any())).thenAnswer(call -> Mono.just(job()));

        submit(SLEEP, ALICE, "k1");
        assertThat(submit(SLEEP, new JobCaller("bob", false), "k1").replayed()).isFalse();
        assertThat(submit(SLEEP, new JobCaller(null, false), "k1").replayed()).isFalse();
        submit(SLEEP, ALICE, null);
        submit(SLEEP, ALICE, null);

        verify(store, times(5)).submit(any(), any());
    }

    @Test
    void aRepeatWhileTheFirstIsStillBeingAdmittedIs409() {
        Sinks.One<JobView> admitted = Sinks.one();
        when(store.submit(any(), any())).thenReturn(admitted.asMono());
        CompletableFuture<IdempotentSubmits.Submitted> first = submits.submit(SLEEP, ALICE, "k1").toFuture();

        StepVerifier.create(submits.submit(SLEEP, ALICE, "k1"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(IdempotencyKeyConflictException.class,
                    conflict -> assertThat(conflict.getStatusCode().value()).isEqualTo(409)))
            .verify(VERIFY);
        JobView job = job();
        admitted.tryEmitValue(job);
        assertThat(first).succeedsWithin(VERIFY).isEqualTo(new IdempotentSubmits.Submitted(job, false));
        assertThat(submit(SLEEP, ALICE, "k1").replayed()).as("answered now, so replayed").isTrue();
    }

    @Test
    void aRefusedSubmitReleasesTheKeySoARetryMaySubmit() {
        JobView job = job();
        when(store.submit(any(), any())).thenReturn(Mono.error(new RegistryFullException(1, 1)))
            .thenReturn(Mono.just(job));

        StepVerifier.create(submits.submit(SLEEP, ALICE, "k1")).expectError(RegistryFullException.class).verify(VERIFY);

        assertThat(submit(SLEEP, ALICE, "k1")).isEqualTo(new IdempotentSubmits.Submitted(job, false));
    }

    @Test
    void aKeyIsForgottenAfterTheTtlAndThenStartsANewJob() {
        when(store.submit(any(), any())).thenAnswer(call -> Mono.just(job()));
        submit(SLEEP, ALICE, "k1");

        nanos.addAndGet(TimeUnit.HOURS.toNanos(24) - 1);
        assertThat(submit(SLEEP, ALICE, "k1").replayed()).as("still within the TTL").isTrue();
        nanos.addAndGet(1);
        assertThat(submit(SLEEP, ALICE, "k1").replayed()).as("past the TTL").isFalse();
        verify(store, times(2)).submit(any(), any());
    }

    @Test
    void anInvalidKeyIs400BeforeTheStoreIsAsked() {
        StepVerifier.create(submits.submit(SLEEP, ALICE, "two words"))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(BadRequestException.class)
                .hasMessageContaining(IdempotencyKey.HEADER))
            .verify(VERIFY);
        verify(store, times(0)).submit(any(), any());
    }

    @Test
    void concurrentRepeatsOfOneKeyStartExactlyOneJob() {
        AtomicInteger started = new AtomicInteger();
        when(store.submit(any(), any())).thenAnswer(call -> Mono.fromSupplier(() -> {
            started.incrementAndGet();
            return job();
        }));

        List<Object> answers = Flux.range(0, 64)
            .flatMap(i -> submits.submit(SLEEP, ALICE, "k1").subscribeOn(Schedulers.parallel())
                .<Object>map(submitted -> submitted.job().id())
                .onErrorResume(IdempotencyKeyConflictException.class, conflict -> Mono.just("409")))
            .collectList().block(VERIFY);

        assertThat(started).hasValue(1);
        assertThat(answers).hasSize(64).filteredOn(answer -> !"409".equals(answer)).isNotEmpty().containsOnly(
                answers.stream().filter(answer -> !"409".equals(answer)).findFirst().orElseThrow());
    }
}
