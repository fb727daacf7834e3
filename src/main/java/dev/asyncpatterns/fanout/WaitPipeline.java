package dev.asyncpatterns.fanout;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.CallResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code asyncio.wait(return_when=...)}: returns the calls done and the calls pending when the
 * condition is met or {@code timeoutMs} passes (which ends the wait without an error). Unlike
 * asyncio, pending calls are then cancelled: an HTTP answer cannot hand back running tasks.
 */
@Component
class WaitPipeline {

    private final FanoutPlanner planner;
    private final FanoutCalls calls;

    WaitPipeline(FanoutPlanner planner, FanoutCalls calls) {
        this.planner = planner;
        this.calls = calls;
    }

    Mono<WaitResponse> wait(WaitRequest request, FanoutCaller caller) {
        ReturnWhen returnWhen = ReturnWhen.parse(request.returnWhen());
        Plan plan = planner.plan(request, caller);
        return plan.admitted(Mono.defer(() -> {
            long started = System.nanoTime();
            CallResult[] done = new CallResult[plan.size()];
            Flux<CallResult> finished = switch (returnWhen) {
                case FIRST_COMPLETED -> calls.run(plan).take(1);
                case FIRST_EXCEPTION -> calls.run(plan).takeUntil(result -> !result.ok());
                case ALL_COMPLETED -> calls.run(plan);
            };
            // Recorded after the cut, so a call that lands after it counts as pending, not done.
            return finished.take(plan.timeout())
                .doOnNext(result -> done[result.index()] = result)
                .then(Mono.fromSupplier(() -> WaitResponse.of(done, plan, GatherPipeline.elapsedMs(started))));
        }));
    }
}
