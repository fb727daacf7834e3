package dev.asyncpatterns.jobs.type;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobContext;
import dev.asyncpatterns.runtime.LoopTimers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code await asyncio.sleep(durationMs)} in {@code steps} timed slices, reporting a progress
 * tick after each. Holds no thread: each slice is one timer, on the event loop that started the
 * job when one did ({@link LoopTimers}), and cancelling disposes the pending timer.
 */
@Component
public class SleepJobType extends NamedJobType<SleepJobType.Params> {

    private final LoopTimers timers;

    public SleepJobType(LoopTimers timers) {
        super("sleep", Params.class);
        this.timers = timers;
    }

    @Override
    public Mono<Result> run(Params params, JobContext context) {
        long duration = params.durationMs();
        int steps = params.steps();
        context.progress(0, steps);
        // Prefetch 0: only one timer exists at a time, and none before the previous slice ended.
        return Flux.range(1, steps)
            .concatMap(step -> Mono.delay(Duration.ofMillis(sliceEnd(duration, steps, step)
                    - sliceEnd(duration, steps, step - 1)), timers.current()).thenReturn(step), 0)
            .doOnNext(step -> context.progress(step, steps))
            .then(Mono.fromSupplier(() -> new Result(duration)));
    }

    /** Slices end at exact fractions of the duration, so they add up to it whatever the rounding. */
    private static long sliceEnd(long duration, int steps, int step) {
        return duration * step / steps;
    }

    /**
     * @param durationMs how long to sleep
     * @param steps progress ticks spread evenly over the sleep; 1 when absent
     */
    public record Params(@NotNull @Min(0) @Max(86_400_000) Long durationMs, @Min(1) @Max(10_000) Integer steps) {

        public Params {
            steps = steps != null ? steps : 1;
        }
    }

    /** @param sleptMs the time slept */
    public record Result(long sleptMs) {
    }
}
