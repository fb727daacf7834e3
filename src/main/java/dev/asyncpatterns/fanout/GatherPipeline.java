package dev.asyncpatterns.fanout;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.CallResult;
import reactor.core.publisher.Mono;

/**
 * {@code asyncio.gather}: every call's result in request order. With {@code returnExceptions}
 * false the first failure cancels every call still running and fails the operation, which is
 * {@code TaskGroup}'s behaviour (plain {@code gather} would let the siblings run on).
 */
@Component
public class GatherPipeline {

    private final FanoutPlanner planner;
    private final FanoutCalls calls;

    GatherPipeline(FanoutPlanner planner, FanoutCalls calls) {
        this.planner = planner;
        this.calls = calls;
    }

    /**
     * The HTTP gather: the request is checked now (a 400 is thrown before anything starts), the
     * caller's quota when it is subscribed.
     */
    Mono<GatherResponse> gather(GatherRequest request, FanoutCaller caller) {
        Plan plan = planner.plan(request, caller);
        return run(plan, request.failFast(), completed -> { });
    }

    /**
     * Checks a request as {@link #gatherInBackground} will, without running it, so a caller can
     * refuse it up front (before accepting a job).
     *
     * @throws dev.asyncpatterns.web.BadRequestException naming the field ({@code urls[2]}, {@code concurrency}, …)
     */
    public void check(GatherRequest request) {
        planner.planUnbounded(request);
    }

    /**
     * A gather run in the background, for the {@code fetch} job: the request is checked on
     * subscription (a refused request fails the {@code Mono} with a 400 problem), there is no
     * whole-operation timeout (the job's own timeout bounds it), and {@code progress} hears the
     * number of completed calls after each one. Cancelling the subscription cancels every call.
     *
     * @param request the URLs and options; {@code timeoutMs} is ignored
     * @param progress called with the count of completed calls, from the thread that completed one
     * @return the gather response, or an error: {@link GatherCallFailedException} with {@code returnExceptions}
     *         false, or a 400 {@code ErrorResponseException} for a refused request
     */
    public Mono<GatherResponse> gatherInBackground(GatherRequest request, IntConsumer progress) {
        return Mono.defer(() -> run(planner.planUnbounded(request), request.failFast(), progress));
    }

    private Mono<GatherResponse> run(Plan plan, boolean failFast, IntConsumer progress) {
        return plan.admitted(Mono.defer(() -> {
            long started = System.nanoTime();
            CallResult[] results = new CallResult[plan.size()];
            // Read by the timeout's timer thread, so atomic; results[] is only read after completion.
            AtomicInteger completed = new AtomicInteger();
            Mono<GatherResponse> gather = calls.run(plan)
                .<CallResult>handle((result, sink) -> {
                    results[result.index()] = result;
                    int done = completed.incrementAndGet();
                    progress.accept(done);
                    if (failFast && !result.ok()) {
                        // Erroring here cancels the calls upstream: TaskGroup's cancel-the-siblings.
                        sink.error(new GatherCallFailedException(result, plan.size() - done));
                    }
                })
                .then(Mono.fromSupplier(() -> GatherResponse.of(results, elapsedMs(started))));
            return plan.bound(gather, completed::get);
        }));
    }

    static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
