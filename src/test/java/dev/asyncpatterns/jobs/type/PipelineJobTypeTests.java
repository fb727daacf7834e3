package dev.asyncpatterns.jobs.type;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

import dev.asyncpatterns.runtime.AsyncQueue;
import dev.asyncpatterns.testsupport.RecordingJobContext;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineJobTypeTests {

    private static final Duration VERIFY = Duration.ofSeconds(10);

    private final List<AsyncQueue<Integer>> queues = new CopyOnWriteArrayList<>();
    private final PipelineJobType pipeline = new PipelineJobType(capacity -> {
        AsyncQueue<Integer> queue = new AsyncQueue<>(capacity);
        queues.add(queue);
        return queue;
    });
    private final RecordingJobContext context = new RecordingJobContext();

    @Test
    void everyItemIsConsumedAndTheResultSaysByWhichWorker() {
        StepVerifier.create(pipeline.run(new PipelineJobType.Params(1_000, 3, 4, 5, null), context))
            .assertNext(result -> {
                assertThat(result.total()).isEqualTo(1_000);
                assertThat(result.consumedBy()).containsOnlyKeys("worker-1", "worker-2", "worker-3", "worker-4");
                assertThat(result.consumedBy().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
            })
            .expectComplete()
            .verify(VERIFY);
        assertThat(context.last().completed()).isEqualTo(1_000);
        assertThat(context.last().total()).isEqualTo(1_000);
        assertThat(queues.get(0).waiters()).isZero();
    }

    @Test
    void consumersWorkInParallelOnItemsOfItemDelay() {
        StepVerifier.withVirtualTime(() -> pipeline.run(new PipelineJobType.Params(6, null, 2, 1, 10L), context))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(29))
            .thenAwait(Duration.ofMillis(1))
            .expectNext(new PipelineJobType.Result(Map.of("worker-1", 3L, "worker-2", 3L), 6))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void cancelStopsProducersAndConsumersAndReleasesTheQueue() {
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> pipeline.run(new PipelineJobType.Params(1_000, 2, 2, 2, 10L), context))
            .consumeSubscriptionWith(subscription::set)
            .expectNoEvent(Duration.ofMillis(55))
            .then(() -> {
                assertThat(context.last().completed()).isEqualTo(10);
                assertThat(queues.get(0).waiters()).isPositive();
            })
            .then(() -> subscription.get().cancel())
            .then(() -> {
                AsyncQueue<Integer> queue = queues.get(0);
                assertThat(queue.waiters()).isZero();
                assertThat(queue.isClosed()).isTrue();
                assertThat(queue.size()).isZero();
            })
            .thenAwait(Duration.ofHours(1))
            .then(() -> assertThat(context.last().completed()).isEqualTo(10))
            .thenCancel()
            .verify(VERIFY);
    }

    @Test
    void defaultsAreOneProducerAndNoItemDelay() {
        PipelineJobType.Params params = new PipelineJobType.Params(1, null, 1, 1, null);
        assertThat(params.producers()).isEqualTo(1);
        assertThat(params.itemDelayMs()).isZero();
    }
}
