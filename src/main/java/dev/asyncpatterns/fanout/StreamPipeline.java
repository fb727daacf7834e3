package dev.asyncpatterns.fanout;

import java.util.stream.IntStream;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.CallResult;
import reactor.core.publisher.Flux;

/**
 * {@code asyncio.as_completed}: each result as soon as its call finishes. A client that goes away
 * cancels the stream, and with it every call still running. Past {@code timeoutMs} the calls
 * still running are cancelled and each gets a {@code CANCELLED} line, so every URL is answered.
 */
@Component
class StreamPipeline {

    private final FanoutPlanner planner;
    private final FanoutCalls calls;

    StreamPipeline(FanoutPlanner planner, FanoutCalls calls) {
        this.planner = planner;
        this.calls = calls;
    }

    Flux<CallResult> stream(CallsRequest request, FanoutCaller caller) {
        Plan plan = planner.plan(request, caller);
        return plan.admitted(Flux.defer(() -> {
            long started = System.nanoTime();
            boolean[] answered = new boolean[plan.size()];
            return calls.run(plan)
                .take(plan.timeout())
                .doOnNext(result -> answered[result.index()] = true)
                .concatWith(Flux.defer(() -> Flux.fromStream(IntStream.range(0, plan.size())
                    .filter(index -> !answered[index])
                    .mapToObj(index -> CallResult.cancelled(index, plan.url(index),
                            "cancelled: timeoutMs passed before the call finished", GatherPipeline.elapsedMs(started))))));
        }));
    }
}
