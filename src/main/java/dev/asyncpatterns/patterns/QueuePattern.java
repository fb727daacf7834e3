package dev.asyncpatterns.patterns;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.runtime.AsyncQueue;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code asyncio.Queue(maxsize=capacity)}: producers {@code put} (waiting while it is full),
 * consumers {@code get} and work {@code itemMs} per item; once every producer is done the queue
 * is shut down and consumers drain it and stop.
 */
@Component
class QueuePattern implements Pattern<QueuePattern.Params> {

    static final String PUT = "put";
    static final String GOT = "got";
    static final String FULL = "full";
    static final String DONE = "done";

    /**
     * @param items how many items in all (default 20)
     * @param producers how many producers share them (default 2)
     * @param consumers how many consumers (default 2)
     * @param capacity the queue's size (default 3)
     * @param itemMs how long a consumer works per item (default 20)
     */
    record Params(@Min(1) @Max(1000) Integer items, @Min(1) @Max(20) Integer producers,
            @Min(1) @Max(20) Integer consumers, @Min(1) @Max(100) Integer capacity,
            @Min(0) @Max(1000) Integer itemMs) {

        Params {
            items = items != null ? items : 20;
            producers = producers != null ? producers : 2;
            consumers = consumers != null ? consumers : 2;
            capacity = capacity != null ? capacity : 3;
            itemMs = itemMs != null ? itemMs : 20;
        }
    }

    /**
     * @param items the accounting: every item put was got exactly once
     * @param capacity the queue's size
     * @param maxDepth most items in the queue at once (put and not yet got); never above capacity
     * @param producerWaits puts that found the queue full and had to wait
     */
    record Summary(@JsonUnwrapped ItemAccounting items, int capacity, int maxDepth, int producerWaits) {
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        long perConsumer = (params.items() + params.consumers() - 1) / params.consumers();
        Pattern.requireWithinBudget("itemMs", perConsumer * params.itemMs(), maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        AsyncQueue<String> queue = new AsyncQueue<>(params.capacity());
        Mono<Void> producers = Flux.range(0, params.producers())
            .flatMap(p -> produce(p, params, queue, timeline), params.producers())
            .then(Mono.fromRunnable(() -> {
                timeline.record("producers", DONE);
                queue.close();
            }));
        Flux<Void> consumers = Flux.range(0, params.consumers())
            .flatMap(c -> consume(TimelineStats.taskName("consumer", c), params.itemMs(), queue, timeline),
                    params.consumers());
        // Whatever ends the run (error, timeout, cancel) wakes and frees every waiter.
        return Mono.when(producers, consumers).doFinally(signal -> queue.clear());
    }

    private static Mono<Void> produce(int producer, Params params, AsyncQueue<String> queue, Timeline timeline) {
        String task = TimelineStats.taskName("producer", producer);
        return Flux.range(0, params.items())
            .filter(k -> k % params.producers() == producer)
            .concatMap(k -> Mono.defer(() -> {
                String item = ItemAccounting.item(k);
                if (queue.size() >= queue.capacity()) {
                    timeline.record(task, FULL, item);
                }
                return queue.put(item).doOnSuccess(v -> timeline.record(task, PUT, item));
            }))
            .then();
    }

    private static Mono<Void> consume(String task, long itemMs, AsyncQueue<String> queue, Timeline timeline) {
        return queue.take()
            .doOnNext(item -> timeline.record(task, GOT, item))
            .flatMap(item -> timeline.sleep(itemMs).thenReturn(true))
            .defaultIfEmpty(false)
            .repeat()
            .takeWhile(took -> took)
            .then();
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        return new Summary(ItemAccounting.of(events, PUT, GOT), params.capacity(), maxDepth(events),
                TimelineStats.tasksWith(events, FULL).size());
    }

    /**
     * Items put and not yet got, at its highest. An item handed straight to a waiting consumer is
     * got before its put completes; it never sat in the queue, so it never counts.
     */
    static int maxDepth(List<TimelineEvent> events) {
        Set<String> queued = new HashSet<>();
        Set<String> got = new HashSet<>();
        int max = 0;
        for (TimelineEvent e : events) {
            if (e.event().equals(PUT) && !got.contains(e.detail())) {
                queued.add(e.detail());
                max = Math.max(max, queued.size());
            }
            else if (e.event().equals(GOT) && !queued.remove(e.detail())) {
                got.add(e.detail());
            }
        }
        return max;
    }
}
