package dev.asyncpatterns.schedules;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.asyncpatterns.jobs.JobId;

/**
 * One due time of a schedule and what came of it.
 *
 * @param jobId the job it started; null when it started none
 * @param scheduledFor the due time (for a trigger: when it was asked for)
 * @param state the job's state (live where the job is still known), or {@link #SKIPPED} (the
 *              previous run was still active and overlap is SKIP) or {@link #REFUSED} (the job
 *              store refused the job: registry full, a quota, shutting down)
 * @param detail why no job started; null when one did
 */
record ScheduleRun(JobId jobId, Instant scheduledFor, String state,
        @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {

    static final String SKIPPED = "SKIPPED";
    static final String REFUSED = "REFUSED";

    ScheduleRun withState(String current) {
        return new ScheduleRun(jobId, scheduledFor, current, detail);
    }
}
