package dev.asyncpatterns.patterns;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.web.BadRequestException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code asyncio.TaskGroup}: children run together; when one fails, the group cancels the
 * siblings still running and fails. Child {@code i} works {@code (i + 1) × taskMs}, and the
 * failing child fails when it would have finished, so earlier children complete and later
 * ones are visibly cancelled.
 */
@Component
class TaskGroupPattern implements Pattern<TaskGroupPattern.Params> {

    static final String STARTED = "started";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";
    static final String GROUP = "group";

    /**
     * @param tasks how many children (default 5)
     * @param failIndex which child fails, or none when absent
     * @param taskMs the time unit: child i works (i + 1) × taskMs (default 100)
     */
    record Params(@Min(1) @Max(50) Integer tasks, @Min(0) @Max(49) Integer failIndex,
            @Min(1) @Max(10_000) Integer taskMs) {

        Params {
            tasks = tasks != null ? tasks : 5;
            taskMs = taskMs != null ? taskMs : 100;
        }
    }

    /**
     * @param tasks children started
     * @param outcome {@code completed} or {@code failed}
     * @param failed the child that failed, or null
     * @param completed children that finished before the failure (all when none failed)
     * @param cancelled siblings the failure cancelled
     * @param completedAfterFailure children that finished after the failure; always 0
     */
    record Summary(int tasks, String outcome, String failed, List<String> completed, List<String> cancelled,
            int completedAfterFailure) {
    }

    @Override
    public String name() {
        return "taskgroup";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params, long maxRunMs) {
        if (params.failIndex() != null && params.failIndex() >= params.tasks()) {
            throw new BadRequestException("failIndex", "must be less than tasks (" + params.tasks() + ")");
        }
        Pattern.requireWithinBudget("taskMs", (long) params.tasks() * params.taskMs(), maxRunMs);
    }

    @Override
    public Mono<Void> run(Params params, Timeline timeline) {
        Integer failIndex = params.failIndex();
        return Flux.range(0, params.tasks())
            .flatMap(i -> child(i, i.equals(failIndex), params.taskMs(), timeline), params.tasks())
            .then()
            .doOnSuccess(v -> timeline.record(GROUP, COMPLETED))
            .onErrorResume(ChildFailed.class, failure -> {
                timeline.record(GROUP, FAILED, failure.getMessage());
                return Mono.empty();
            });
    }

    private static Mono<Void> child(int index, boolean fails, long taskMs, Timeline timeline) {
        String task = TimelineStats.taskName("task", index);
        // The group cancels every child when one fails, the failed one included: only a child
        // that had not ended yet was really cancelled.
        AtomicBoolean ended = new AtomicBoolean();
        return Mono.fromRunnable(() -> timeline.record(task, STARTED))
            .then(timeline.sleep((index + 1) * taskMs))
            .then(fails ? Mono.<Void>error(new ChildFailed(task)) : Mono.<Void>empty())
            .doOnSuccess(v -> {
                ended.set(true);
                timeline.record(task, COMPLETED);
            })
            .doOnError(e -> {
                ended.set(true);
                timeline.record(task, FAILED);
            })
            .doOnCancel(() -> {
                if (!ended.get()) {
                    timeline.record(task, CANCELLED);
                }
            });
    }

    @Override
    public Summary summarize(Params params, List<TimelineEvent> events) {
        List<TimelineEvent> children = events.stream().filter(e -> !e.task().equals(GROUP)).toList();
        int failure = TimelineStats.indexOf(children, FAILED);
        String failed = failure < 0 ? null : children.get(failure).task();
        List<String> completed = TimelineStats.tasksWith(children, COMPLETED);
        int completedBefore = TimelineStats.countBefore(children, COMPLETED, failure);
        return new Summary(TimelineStats.tasksWith(children, STARTED).size(), failed == null ? COMPLETED : FAILED,
                failed, completed, TimelineStats.tasksWith(children, CANCELLED), completed.size() - completedBefore);
    }

    /** The deliberate failure of the chosen child. */
    static final class ChildFailed extends RuntimeException {

        ChildFailed(String task) {
            super(task + " failed on purpose", null, false, false);
        }
    }
}
