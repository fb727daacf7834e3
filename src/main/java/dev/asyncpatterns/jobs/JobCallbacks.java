package dev.asyncpatterns.jobs;

import dev.asyncpatterns.callbacks.Callback;
import dev.asyncpatterns.callbacks.CallbackDeliveries;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's side of completion callbacks (API.md §12): checks a submitted callback before the
 * job is admitted, and hands the job JSON to {@link CallbackDeliveries} once the job has ended
 * (the registry's hook for ended jobs, after its slot was given back).
 */
final class JobCallbacks {

    private final CallbackDeliveries deliveries;
    private final ObjectWriter writer;

    JobCallbacks(CallbackDeliveries deliveries, JsonMapper mapper) {
        this.deliveries = deliveries;
        // Built now, so the first ending job does not wait for Jackson's serializer cache on an event loop.
        this.writer = mapper.writerFor(JobView.class);
    }

    /** The request's callback, its URL checked (400 naming {@code callback.url}); null when it has none. */
    Callback accept(JobId id, JobRequest request) {
        return request.callback() == null ? null : deliveries.accept(id.toString(), request.callback());
    }

    /** Delivers the job JSON of a job that just reached its final state, if it has a callback. */
    void ended(Job job) {
        if (job.callback() != null) {
            deliver(job);
        }
    }

    /**
     * Delivers the ended job's JSON again (a new delivery, a new {@code webhook-id}; nothing new while
     * one is under way): 404 for a job without a callback, 409 while the job has not ended.
     */
    void redeliver(Job job) {
        if (job.callback() == null) {
            throw new CallbackNotFoundException(job.jobId());
        }
        if (!job.state().isTerminal()) {
            throw JobNotTerminalException.callbackNotDue(job.id(), job.state());
        }
        deliver(job);
    }

    private void deliver(Job job) {
        deliveries.deliver(job.callback(), writer.writeValueAsBytes(job.view()));
    }
}
