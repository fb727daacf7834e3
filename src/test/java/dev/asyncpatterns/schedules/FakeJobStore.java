package dev.asyncpatterns.schedules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobEvent;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobNotFoundException;
import dev.asyncpatterns.jobs.JobRequest;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobStore;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A job store that records what schedules ask of it: every submitted job stays RUNNING until the
 * test ends it; {@link #refuseWith} makes the next submits fail as a full registry would.
 */
final class FakeJobStore implements JobStore {

    record Submitted(JobRequest request, JobCaller caller, String scheduleId, JobId id) {
    }

    final List<Submitted> submitted = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    /** Submits asked for, started or still held. */
    final AtomicInteger asked = new AtomicInteger();
    private final Map<String, JobView> jobs = new ConcurrentHashMap<>();
    private volatile Supplier<RuntimeException> refusal;
    private volatile Mono<Void> gate = Mono.empty();

    void refuseWith(Supplier<RuntimeException> failure) {
        this.refusal = failure;
    }

    /** Holds every submit until {@code open} completes, as a slow registry or database would. */
    void holdSubmitsUntil(Mono<Void> open) {
        this.gate = open;
    }

    void end(JobId id, JobState state) {
        jobs.computeIfPresent(id.toString(), (key, job) -> view(job.id(), job.name(), state, job.createdBy(),
                job.scheduleId()));
    }

    JobState state(JobId id) {
        return jobs.get(id.toString()).state();
    }

    @Override
    public Mono<JobView> submit(JobRequest request, JobCaller caller) {
        return submit(request, caller, null);
    }

    @Override
    public Mono<JobView> submit(JobRequest request, JobCaller caller, String scheduleId) {
        Supplier<RuntimeException> refuse = refusal;
        if (refuse != null) {
            // Thrown, not signalled: the in-memory store refuses this way.
            throw refuse.get();
        }
        asked.incrementAndGet();
        return gate.then(Mono.fromSupplier(() -> {
            JobId id = JobId.random();
            JobView job = view(id, request.name(), JobState.RUNNING, caller.name(), scheduleId);
            jobs.put(id.toString(), job);
            submitted.add(new Submitted(request, caller, scheduleId, id));
            return job;
        }));
    }

    private static JobView view(JobId id, String name, JobState state, String owner, String scheduleId) {
        return new JobView(id, "sleep", name, state, null, null, new JobView.Progress(0, null), null, null, null,
                Instant.EPOCH, null, null, owner).scheduledBy(scheduleId);
    }

    @Override
    public Mono<JobView> await(String id, long waitMs, JobCaller caller) {
        JobView job = jobs.get(id);
        if (job == null) {
            throw new JobNotFoundException(id);
        }
        return Mono.just(job);
    }

    @Override
    public Mono<JobView> cancel(String id, JobCaller caller) {
        cancelled.add(id);
        end(JobId.parse(id).orElseThrow(), JobState.CANCELLED);
        return await(id, 0, caller);
    }

    @Override
    public Mono<List<JobView>> list(JobState state, String type, Integer limit, JobCaller caller) {
        return Mono.just(List.copyOf(jobs.values()));
    }

    @Override
    public Mono<JobView> retry(String id, JobCaller caller) {
        return Mono.error(new UnsupportedOperationException("schedules never requeue"));
    }

    @Override
    public Mono<Void> delete(String id, JobCaller caller) {
        jobs.remove(id);
        return Mono.empty();
    }

    @Override
    public Flux<JobEvent> events(String id, JobCaller caller) {
        return Flux.empty();
    }
}
