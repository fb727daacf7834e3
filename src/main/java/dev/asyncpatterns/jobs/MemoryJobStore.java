package dev.asyncpatterns.jobs;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code asyncpatterns.store=memory}: the registry alone. Each call runs at once on the calling
 * thread, exactly as the controller called the registry before the seam existed, so failures
 * are raised before any publisher is returned.
 */
@Component
@ConditionalOnProperty(name = "asyncpatterns.store", havingValue = "memory", matchIfMissing = true)
class MemoryJobStore implements JobStore {

    private final JobRegistry registry;

    MemoryJobStore(JobRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Mono<JobView> submit(JobRequest request, JobCaller caller) {
        return Mono.just(registry.submit(request, caller));
    }

    @Override
    public Mono<JobView> submit(JobRequest request, JobCaller caller, String scheduleId) {
        return Mono.just(registry.submit(request, caller, scheduleId));
    }

    @Override
    public Mono<JobView> await(String id, long waitMs, JobCaller caller) {
        return registry.await(id, waitMs, caller);
    }

    @Override
    public Mono<List<JobView>> list(JobState state, String type, Integer limit, JobCaller caller) {
        return Mono.just(registry.list(state, type, limit, caller));
    }

    @Override
    public Mono<JobView> cancel(String id, JobCaller caller) {
        return Mono.just(registry.cancel(id, caller));
    }

    @Override
    public Mono<JobView> retry(String id, JobCaller caller) {
        return Mono.just(registry.retry(id, caller));
    }

    @Override
    public Mono<JobView> redeliverCallback(String id, JobCaller caller) {
        return Mono.just(registry.redeliverCallback(id, caller));
    }

    @Override
    public Mono<Void> delete(String id, JobCaller caller) {
        registry.delete(id, caller);
        return Mono.empty();
    }

    @Override
    public Flux<JobEvent> events(String id, JobCaller caller) {
        return registry.events(id, caller);
    }
}
