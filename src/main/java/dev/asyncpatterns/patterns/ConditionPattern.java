package dev.asyncpatterns.patterns;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.runtime.AsyncCondition;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code asyncio.Condition}: producers append to a shared buffer under the condition's lock and
 * {@code notify()}; consumers {@code wait_for(buffer not empty)} and take one item each time.
 * Producers pace themselves ({@value #PACE_MS} ms per item) so consumers visibly wait.
 */
@Component
class ConditionPattern implements Pattern<ConditionPattern.Params> {

    static final long PACE_MS = 5;
    static final String PRODUCED = "produced";
    static final String CONSUMED = "consumed";
    static final String WAITING = "waiting";
    static final String DONE = "done";

    /**
     * @param producers how many producers share the items (default 2)
     * @param consumers how many consumers (default 3)
     * @param items how many items in all (default 20)
     */
    record Params(@Min(1) @Max(20) Integer producers, @Min(1) @Max(20) Integer consumers,
            @Min(1) @Max(500) Integer items) {

        Params {
            producers = producers != null ? producers : 2;
            consumers = consumers != null ? consumers : 3;
            items = items != null ? items : 20;
        }
    }

    /**
     * @param items the accounting: every produced item consumed exactly once
     * @param waits how often a consumer found the buffer empty and waited
     */
    record Summary(@JsonUnwrapped ItemAccounting items, int waits) {
    }

    @Override
    public String name() {
        return "condition";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        long perProducer = (params.items() + params.producers() - 1) / params.producers();
        Pattern.requireWithinBudget("items", perProducer * PACE_MS, maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        AsyncCondition condition = new AsyncCondition();
        Deque<String> buffer = new ArrayDeque<>();
        boolean[] finished = {false};
        Mono<Void> producers = Flux.range(0, params.producers())
            .flatMap(p -> produce(p, params, condition, buffer, timeline), params.producers())
            .then(condition.withLock(guard -> Mono.fromRunnable(() -> {
                finished[0] = true;
                timeline.record("producers", DONE);
                guard.signalAll();
            })));
        Flux<Void> consumers = Flux.range(0, params.consumers())
            .flatMap(c -> consume(TimelineStats.taskName("consumer", c), condition, buffer, finished, timeline),
                    params.consumers());
        return Mono.when(producers, consumers);
    }

    private static Mono<Void> produce(int producer, Params params, AsyncCondition condition, Deque<String> buffer,
            Timeline timeline) {
        String task = TimelineStats.taskName("producer", producer);
        return Flux.range(0, params.items())
            .filter(k -> k % params.producers() == producer)
            .concatMap(k -> timeline.sleep(PACE_MS).then(condition.withLock(guard -> Mono.fromRunnable(() -> {
                String item = ItemAccounting.item(k);
                buffer.add(item);
                timeline.record(task, PRODUCED, item);
                guard.signal();
            }))))
            .then();
    }

    /** Takes items until the producers are done and the buffer is empty. */
    private static Mono<Void> consume(String task, AsyncCondition condition, Deque<String> buffer,
            boolean[] finished, Timeline timeline) {
        Mono<Boolean> takeOne = condition.withLock(guard -> {
            if (buffer.isEmpty() && !finished[0]) {
                timeline.record(task, WAITING);
            }
            return guard.waitFor(() -> !buffer.isEmpty() || finished[0]).then(Mono.fromSupplier(() -> {
                String item = buffer.poll();
                if (item == null) {
                    return false;
                }
                timeline.record(task, CONSUMED, item);
                return true;
            }));
        });
        return takeOne.repeat().takeWhile(took -> took).then();
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        return new Summary(ItemAccounting.of(events, PRODUCED, CONSUMED),
                TimelineStats.tasksWith(events, WAITING).size());
    }
}
