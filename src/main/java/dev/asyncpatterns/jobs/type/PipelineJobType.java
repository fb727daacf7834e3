package dev.asyncpatterns.jobs.type;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobContext;
import dev.asyncpatterns.runtime.AsyncQueue;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Producers and consumers over a bounded {@code asyncio.Queue(maxsize)}: producers put the items
 * (waiting while the queue is full), consumers take and process them ({@code itemDelayMs} each),
 * and when the producers are done the queue is closed so consumers drain it and stop. Cancelling
 * cancels every pending put and take, which leaves the queue with no waiters, and clears the queue.
 */
@Component
class PipelineJobType extends NamedJobType<PipelineJobType.Params> {

    private final IntFunction<AsyncQueue<Integer>> queues;

    @Autowired
    PipelineJobType() {
        this(AsyncQueue::new);
    }

    /** For tests that look at the queue a job used. */
    PipelineJobType(IntFunction<AsyncQueue<Integer>> queues) {
        super("pipeline", Params.class);
        this.queues = queues;
    }

    @Override
    public Mono<Result> run(Params params, JobContext context) {
        return Mono.defer(() -> {
            AsyncQueue<Integer> queue = queues.apply(params.queueCapacity());
            AtomicLong consumed = new AtomicLong();
            List<AtomicLong> perWorker = IntStream.range(0, params.consumers()).mapToObj(i -> new AtomicLong()).toList();
            context.progress(0, params.items());
            Mono<Void> producing = Flux.range(0, params.producers())
                .flatMap(producer -> produce(queue, producer, params), params.producers())
                .then(Mono.fromRunnable(queue::close));
            Mono<Void> consuming = Flux.fromIterable(perWorker)
                .flatMap(count -> consume(queue, count, consumed, params, context), params.consumers())
                .then();
            return Mono.when(producing, consuming)
                .then(Mono.fromSupplier(() -> result(perWorker, params.items())))
                .doFinally(signal -> queue.clear());
        });
    }

    /** Producer {@code k} of {@code p} puts items k, k+p, k+2p, ... one at a time. */
    private static Mono<Void> produce(AsyncQueue<Integer> queue, int producer, Params params) {
        int count = (params.items() - producer + params.producers() - 1) / params.producers();
        return Flux.range(0, count)
            .concatMap(i -> queue.put(producer + i * params.producers()), 0)
            .then();
    }

    /** Takes, processes, repeats; ends when the closed queue is drained. */
    private static Mono<Void> consume(AsyncQueue<Integer> queue, AtomicLong count, AtomicLong consumed,
            Params params, JobContext context) {
        Duration itemDelay = Duration.ofMillis(params.itemDelayMs());
        Mono<Boolean> one = queue.take()
            .flatMap(item -> (itemDelay.isZero() ? Mono.<Long>empty() : Mono.delay(itemDelay))
                .then(Mono.fromRunnable(() -> {
                    count.incrementAndGet();
                    context.progress(consumed.incrementAndGet(), params.items());
                }))
                .thenReturn(Boolean.TRUE))
            .defaultIfEmpty(Boolean.FALSE);
        return one.repeat().takeWhile(Boolean::booleanValue).then();
    }

    private static Result result(List<AtomicLong> perWorker, int items) {
        Map<String, Long> consumedBy = new LinkedHashMap<>();
        for (int i = 0; i < perWorker.size(); i++) {
            consumedBy.put("worker-" + (i + 1), perWorker.get(i).get());
        }
        return new Result(consumedBy, items);
    }

    /**
     * @param items how many items flow through the queue
     * @param producers producer tasks; 1 when absent
     * @param consumers consumer tasks
     * @param queueCapacity the queue's maxsize; producers wait while it is full
     * @param itemDelayMs how long a consumer works on each item; 0 when absent
     */
    public record Params(
            @NotNull @Min(1) @Max(1_000_000) Integer items,
            @Min(1) @Max(64) Integer producers,
            @NotNull @Min(1) @Max(64) Integer consumers,
            @NotNull @Min(1) @Max(10_000) Integer queueCapacity,
            @Min(0) @Max(60_000) Long itemDelayMs) {

        public Params {
            producers = producers != null ? producers : 1;
            itemDelayMs = itemDelayMs != null ? itemDelayMs : 0L;
        }
    }

    /**
     * @param consumedBy items each consumer processed, {@code worker-1} to {@code worker-n}
     * @param total all items
     */
    public record Result(Map<String, Long> consumedBy, long total) {
    }
}
