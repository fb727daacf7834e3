package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.asyncpatterns.web.BadRequestException;
import reactor.core.publisher.Mono;

/**
 * Reads of the registry's jobs as one caller may see them: find one, await one, list them. A job
 * of another caller is not found, exactly like an unknown id, so ids reveal nothing.
 */
final class JobQueries {

    private final Map<JobId, Job> jobs;
    private final JobTypes types;
    private final JobRetention retention;
    private final JobsProperties properties;

    JobQueries(Map<JobId, Job> jobs, JobTypes types, JobRetention retention, JobsProperties properties) {
        this.jobs = jobs;
        this.types = types;
        this.retention = retention;
        this.properties = properties;
    }

    /** The job if the caller may see it, otherwise {@link JobNotFoundException} (404). */
    Job find(String id, JobCaller caller) {
        return JobId.parse(id).map(jobs::get).filter(caller::owns).orElseThrow(() -> new JobNotFoundException(id));
    }

    /** The job as this process holds it, for any caller. */
    Optional<JobView> local(String id) {
        return JobId.parse(id).map(jobs::get).map(Job::view);
    }

    /**
     * The job once it is terminal, or as it is after {@code waitMs} (capped by {@code max-wait}),
     * whichever comes first: {@code await asyncio.wait_for(shield(task), waitMs)}.
     */
    Mono<JobView> await(String id, long waitMs, JobCaller caller) {
        Job job = find(id, caller);
        Duration wait = Duration.ofMillis(Math.min(waitMs, properties.maxWait().toMillis()));
        if (wait.isZero()) {
            return Mono.just(job.view());
        }
        return job.awaitTerminal().timeout(wait, Mono.empty()).then(Mono.fromSupplier(job::view));
    }

    /**
     * The caller's jobs newest first, optionally only one state or type; {@code limit} (default
     * {@code default-list-limit}) must lie in 1..{@code max-list-limit}, and {@code type} must be known.
     */
    List<JobView> list(JobState state, String type, Integer limit, JobCaller caller) {
        int max = limit != null ? limit : properties.defaultListLimit();
        if (max < 1 || max > properties.maxListLimit()) {
            throw new BadRequestException("limit", "must be between 1 and " + properties.maxListLimit());
        }
        if (type != null) {
            types.get(type);
        }
        // Expired jobs may still wait for the next sweep; a list must not show them.
        retention.evictExpired();
        return jobs.values().stream()
            .filter(caller::owns)
            .filter(job -> state == null || job.state() == state)
            .filter(job -> type == null || job.type().equals(type))
            .sorted(Comparator.comparingLong(Job::sequence).reversed())
            .limit(max)
            .map(Job::view)
            .toList();
    }
}
