package dev.asyncpatterns.fanout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.CallResult;
import reactor.core.publisher.Mono;

/**
 * First successful call wins, every other call is cancelled (hedged requests; asyncio's
 * {@code wait(FIRST_COMPLETED)} looped until a success). If every call fails the answer is a
 * 502 listing every error.
 */
@Component
class FirstPipeline {

    private final FanoutPlanner planner;
    private final FanoutCalls calls;

    FirstPipeline(FanoutPlanner planner, FanoutCalls calls) {
        this.planner = planner;
        this.calls = calls;
    }

    Mono<CallResult> first(CallsRequest request, FanoutCaller caller) {
        Plan plan = planner.plan(request, caller);
        return plan.admitted(Mono.defer(() -> {
            AtomicInteger completed = new AtomicInteger();
            // Appended one at a time by the serialized stream; read once it has ended.
            List<CallResult> failures = new ArrayList<>();
            Mono<CallResult> first = calls.run(plan)
                .doOnNext(result -> {
                    completed.incrementAndGet();
                    if (!result.ok()) {
                        failures.add(result);
                    }
                })
                .filter(CallResult::ok)
                .next()
                .switchIfEmpty(Mono.error(() -> new AllCallsFailedException(
                        failures.stream().sorted(Comparator.comparingInt(CallResult::index)).toList())));
            return plan.bound(first, completed::get);
        }));
    }
}
