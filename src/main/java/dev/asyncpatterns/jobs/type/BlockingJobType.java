package dev.asyncpatterns.jobs.type;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobContext;
import dev.asyncpatterns.runtime.WorkSchedulers;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A blocking call run off the event loop, {@code await asyncio.to_thread(time.sleep, s)}: a real
 * {@code Thread.sleep} on the bounded blocking pool. Unlike Python's threads, a Java thread can be
 * interrupted, so cancelling frees the thread at once instead of letting the sleep run out.
 * A full blocking pool refuses the task and the job fails.
 */
@Component
public class BlockingJobType extends NamedJobType<BlockingJobType.Params> {

    private final Scheduler blocking;

    public BlockingJobType(WorkSchedulers schedulers) {
        super("blocking", Params.class);
        this.blocking = schedulers.blocking();
    }

    @Override
    public Mono<Result> run(Params params, JobContext context) {
        long duration = params.durationMs();
        return Mono.create(sink -> {
            // Disposing a task the pool is running interrupts its thread.
            Disposable task = blocking.schedule(() -> {
                try {
                    Thread.sleep(duration);
                    sink.success(new Result(duration));
                }
                catch (InterruptedException cancelled) {
                    Thread.currentThread().interrupt();
                }
            });
            sink.onCancel(task);
        });
    }

    /** @param durationMs how long the call blocks its thread */
    public record Params(@NotNull @Min(0) @Max(3_600_000) Long durationMs) {
    }

    /** @param blockedMs how long the thread was blocked */
    public record Result(long blockedMs) {
    }
}
