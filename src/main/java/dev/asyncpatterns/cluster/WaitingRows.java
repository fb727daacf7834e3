package dev.asyncpatterns.cluster;

import dev.asyncpatterns.jobs.JobsProperties;
import dev.asyncpatterns.jobs.RegistryFullException;
import reactor.core.publisher.Mono;

/**
 * The bound on jobs whose rows wait, as the registry bounds its own: up to {@code max-active} may
 * wait for a slot ({@code PENDING}) and {@code max-scheduled} for their time ({@code SCHEDULED});
 * past that a submit answers 429.
 */
final class WaitingRows {

    private final JobRows rows;
    private final DueRows due;
    private final JobsProperties jobs;

    WaitingRows(JobRows rows, DueRows due, JobsProperties jobs) {
        this.rows = rows;
        this.due = due;
        this.jobs = jobs;
    }

    /** Stores a waiting job's row with {@code insert}, or fails with {@link RegistryFullException}. */
    Mono<JobRow> store(Mono<JobRow> insert, boolean scheduled) {
        Mono<Long> waiting = scheduled ? due.scheduledCount() : rows.pendingCount();
        long bound = scheduled ? jobs.maxScheduled() : jobs.maxActive();
        return waiting.flatMap(count -> count < bound ? insert : Mono.error(scheduled
                ? RegistryFullException.scheduled(jobs.maxScheduled(), jobs.retryAfterSeconds())
                : new RegistryFullException(jobs.maxActive(), jobs.retryAfterSeconds())));
    }
}
