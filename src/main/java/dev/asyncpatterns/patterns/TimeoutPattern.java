package dev.asyncpatterns.patterns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * {@code async with asyncio.timeout(timeoutMs):} around work of {@code workMs}: when the timeout
 * fires first the work is cancelled, its {@code finally} (cleanup) runs, and the caller gets
 * {@code TimeoutError}; otherwise the work completes and the cleanup still runs.
 */
@Component
class TimeoutPattern implements Pattern<TimeoutPattern.Params> {

    static final String WORK = "work";
    static final String CALLER = "caller";
    static final String STARTED = "started";
    static final String COMPLETED = "completed";
    static final String CANCELLED = "cancelled";
    static final String CLEANUP = "cleanup";
    static final String TIMEOUT_ERROR = "timeout-error";
    static final String RESULT = "result";

    /**
     * @param workMs how long the work takes (default 1000)
     * @param timeoutMs the deadline around it (default 200)
     */
    record Params(@Min(0) @Max(600_000) Integer workMs, @Min(1) @Max(600_000) Integer timeoutMs) {

        Params {
            workMs = workMs != null ? workMs : 1000;
            timeoutMs = timeoutMs != null ? timeoutMs : 200;
        }
    }

    /**
     * @param timeoutMs the deadline
     * @param timedOut whether the caller got the timeout error
     * @param workCompleted whether the work ran to its end
     * @param cancelledAtMs when the work was cancelled, or null
     * @param cleanupRan whether the work's cleanup ran (it must, either way)
     */
    record Summary(long timeoutMs, boolean timedOut, boolean workCompleted, Long cancelledAtMs, boolean cleanupRan) {
    }

    @Override
    public String name() {
        return "timeout";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        Pattern.requireWithinBudget(params.workMs() <= params.timeoutMs() ? "workMs" : "timeoutMs",
                Math.min(params.workMs(), params.timeoutMs()), maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        Mono<Void> work = Mono.fromRunnable(() -> timeline.record(WORK, STARTED))
            .then(timeline.sleep(params.workMs()))
            .doOnNext(tick -> timeline.record(WORK, COMPLETED))
            // The work's finally block, run before its outcome travels on (doFinally would run
            // after the caller has already seen it).
            .doOnTerminate(() -> timeline.record(WORK, CLEANUP))
            .doOnCancel(() -> {
                timeline.record(WORK, CANCELLED);
                timeline.record(WORK, CLEANUP);
            })
            .then();
        return work.timeout(Duration.ofMillis(params.timeoutMs()), timeline.loop())
            .doOnSuccess(v -> timeline.record(CALLER, RESULT))
            .onErrorResume(TimeoutException.class, timeout -> {
                timeline.record(CALLER, TIMEOUT_ERROR);
                return Mono.empty();
            });
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        int cancelled = TimelineStats.indexOf(events, CANCELLED);
        return new Summary(params.timeoutMs(), TimelineStats.indexOf(events, TIMEOUT_ERROR) >= 0,
                TimelineStats.indexOf(events, COMPLETED) >= 0, cancelled < 0 ? null : events.get(cancelled).atMs(),
                TimelineStats.indexOf(events, CLEANUP) >= 0);
    }
}
