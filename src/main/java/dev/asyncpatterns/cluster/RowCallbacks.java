package dev.asyncpatterns.cluster;

import dev.asyncpatterns.callbacks.CallbackDeliveries;
import dev.asyncpatterns.callbacks.CallbackView;
import dev.asyncpatterns.jobs.CallbackNotFoundException;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobNotFoundException;
import dev.asyncpatterns.jobs.JobNotTerminalException;
import dev.asyncpatterns.jobs.JobRequest;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;

/**
 * The store's side of completion callbacks with {@code store=postgres}, as {@code JobCallbacks} is
 * the registry's: a submitted callback is checked and shown PENDING, its row stored with the job;
 * a redeliver starts a new delivery in the row, which {@link CallbackClaims} on any instance makes.
 */
final class RowCallbacks {

    private final CallbackDeliveries deliveries;
    private final CallbackRows callbacks;
    private final JobRows rows;

    RowCallbacks(CallbackDeliveries deliveries, CallbackRows callbacks, JobRows rows) {
        this.deliveries = deliveries;
        this.callbacks = callbacks;
        this.rows = rows;
    }

    /** The request's callback, its URL checked (400 naming {@code callback.url}); null when it has none. */
    CallbackView accept(JobRequest request) {
        return request.callback() == null ? null : deliveries.acceptStored(request.callback());
    }

    /**
     * Delivers the ended job's JSON again (a new delivery, a new {@code webhook-id}; nothing new while
     * one is under way): 404 for a job without a callback, 409 while the job has not ended. The job as it is then.
     */
    Mono<JobView> redeliver(JobRow row) {
        if (row.view().callback() == null) {
            return Mono.error(new CallbackNotFoundException(row.view().id().toString()));
        }
        if (!row.state().isTerminal()) {
            return Mono.error(JobNotTerminalException.callbackNotDue(row.view().id(), row.state()));
        }
        JobId id = row.view().id();
        return callbacks.redeliver(id)
            .defaultIfEmpty(false)
            .flatMap(started -> rows.find(id)
                .switchIfEmpty(Mono.error(() -> new JobNotFoundException(id.toString())))
                .flatMap(now -> {
                    if (!now.state().isTerminal()) {
                        // Requeued between the read and the redeliver: not ended any more, so nothing was started.
                        return Mono.error(JobNotTerminalException.callbackNotDue(id, now.state()));
                    }
                    // As the redeliver left it: another instance may have made the delivery since.
                    return Mono.just(started ? now.view().withCallback(CallbackView.pending(now.view().callback().url()))
                            : now.view());
                }))
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }
}
