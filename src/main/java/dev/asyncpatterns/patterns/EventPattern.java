package dev.asyncpatterns.patterns;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.runtime.AsyncEvent;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code asyncio.Event}: {@code waiters} tasks wait; a setter sets the event after {@code setAfterMs}. */
@Component
class EventPattern implements Pattern<EventPattern.Params> {

    static final String WAITING = "waiting";
    static final String SET = "set";
    static final String RESUMED = "resumed";

    /**
     * @param waiters how many tasks wait for the event (default 5)
     * @param setAfterMs when the setter sets it (default 200)
     */
    record Params(@Min(1) @Max(200) Integer waiters, @Min(0) @Max(30_000) Integer setAfterMs) {

        Params {
            waiters = waiters != null ? waiters : 5;
            setAfterMs = setAfterMs != null ? setAfterMs : 200;
        }
    }

    /**
     * @param waiters tasks that waited
     * @param setAtMs when the event was set
     * @param resumed waiters that resumed
     * @param resumedBeforeSet waiters that resumed before the set; always 0
     */
    record Summary(int waiters, long setAtMs, int resumed, int resumedBeforeSet) {
    }

    @Override
    public String name() {
        return "event";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        Pattern.requireWithinBudget("setAfterMs", params.setAfterMs(), maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        AsyncEvent event = new AsyncEvent();
        Flux<Void> waiters = Flux.range(0, params.waiters()).flatMap(i -> {
            String task = TimelineStats.taskName("waiter", i);
            timeline.record(task, WAITING);
            return event.await().doOnSuccess(v -> timeline.record(task, RESUMED));
        }, params.waiters());
        Mono<Void> setter = timeline.sleep(params.setAfterMs()).doOnNext(tick -> {
            timeline.record("setter", SET);
            event.set();
        }).then();
        return Mono.when(waiters, setter);
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        int set = TimelineStats.indexOf(events, SET);
        long setAtMs = set < 0 ? -1 : events.get(set).atMs();
        return new Summary(TimelineStats.tasksWith(events, WAITING).size(), setAtMs,
                TimelineStats.tasksWith(events, RESUMED).size(), TimelineStats.countBefore(events, RESUMED, set));
    }
}
