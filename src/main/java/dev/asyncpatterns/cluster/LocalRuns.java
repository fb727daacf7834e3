package dev.asyncpatterns.cluster;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobRegistry;
import dev.asyncpatterns.jobs.JobRequest;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Runs a job this instance took (submitted here, or claimed) in its registry, owned under the
 * row's attempt and mirrored into the row until it ends; {@code onEnd} hears each end (a slot is free).
 */
final class LocalRuns {

    private static final Logger log = LoggerFactory.getLogger(LocalRuns.class);

    private final JobRegistry registry;
    private final OwnedJobs owned;
    private final RowMirror mirror;
    private final Runnable onEnd;

    LocalRuns(JobRegistry registry, OwnedJobs owned, RowMirror mirror, Runnable onEnd) {
        this.registry = registry;
        this.owned = owned;
        this.mirror = mirror;
        this.onEnd = onEnd;
    }

    /**
     * Starts the row's job here (its slot reserved by the caller). {@code params} binds the
     * request's params: a submit has them bound already, a claimed job binds them from its row.
     */
    Mono<JobView> start(JobRow row, JobRequest request, Supplier<Object> params, JobCaller caller) {
        JobId id = row.view().id();
        int attempt = row.attempt();
        owned.own(id, attempt);
        try {
            // The row's start (the submit's own clock reading on the fast path), so every instance shows the same.
            JobView view = registry.start(id, withoutCallback(request), params.get(), caller,
                    row.createdAt().toEpochMilli(), row.view().startedAt().toEpochMilli(), row.view().scheduleId());
            mirror.mirror(id, attempt, registry.events(id.toString(), JobCaller.SYSTEM))
                .doFinally(signal -> {
                    owned.release(id, attempt);
                    countRetry(row, attempt);
                    onEnd.run();
                })
                .subscribe(null, failure -> log.error("Job {} could not be mirrored to the store", id, failure));
            return Mono.just(view);
        }
        catch (RuntimeException refused) {
            // The registry refused the start (full, shutting down, invalid params): this start fails, as a submit would.
            owned.release(id);
            return Mono.error(refused);
        }
    }

    /**
     * The request as the registry runs it here: the callback is the row's to deliver (see
     * {@link CallbackClaims}), from whichever instance is alive when the job has ended, never this
     * registry's, whose deliveries would die with this instance.
     */
    private static JobRequest withoutCallback(JobRequest request) {
        return request.callback() == null ? request : new JobRequest(request.type(), request.params(),
                request.timeoutMs(), request.name(), request.onInstanceLoss(), request.runAt(), request.delayMs(),
                request.retry(), null);
    }

    /**
     * Counts the retry the row's end just scheduled, if its policy retries how the attempt ended
     * (the finish statement decides the same way, in SQL).
     */
    private void countRetry(JobRow row, int attempt) {
        if (row.retry() != null) {
            registry.local(row.view().id().toString())
                .filter(ended -> row.retry().retries(ended.state(), attempt))
                .ifPresent(ended -> registry.retried());
        }
    }

    /** Starts a claimed row as its creator's job, with the request rebuilt from the row. */
    Mono<Void> startClaimed(JobRow row) {
        JobView view = row.view();
        JobRequest request = new JobRequest(view.type(), (JsonNode) view.params(), view.timeoutMs(), view.name(),
                row.onInstanceLoss());
        return start(row, request, () -> registry.checkParams(request), new JobCaller(view.createdBy(), false))
            .then();
    }
}
