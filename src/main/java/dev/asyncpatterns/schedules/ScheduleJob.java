package dev.asyncpatterns.schedules;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.asyncpatterns.jobs.JobRequest;
import dev.asyncpatterns.jobs.RetryPolicy;
import tools.jackson.databind.JsonNode;

/**
 * The job each run of a schedule starts: the fields of {@code POST /api/jobs} that make sense
 * again and again (no start time, no idempotency key, no callback).
 *
 * @param type the job type
 * @param params the type's parameters, validated as {@code POST /api/jobs} does
 * @param timeoutMs bound on each run; none when absent
 * @param retry whole-job retries of each run; one attempt when absent
 */
record ScheduleJob(
        @Schema(description = "Job type", example = "sleep") @NotBlank @Size(max = 64) String type,
        @Schema(description = "Parameters of the job type", example = "{\"durationMs\": 1000}") JsonNode params,
        @Schema(description = "Bound on each run in ms; none when absent", example = "60000") @Min(1)
        @Max(JobRequest.MAX_TIMEOUT_MS) Long timeoutMs,
        @Schema(description = "Whole-job retries of each run") RetryPolicy retry) {

    /** The job request of one run, named after the schedule. */
    JobRequest toRequest(String name) {
        return new JobRequest(type, params, timeoutMs, name, null, null, null, retry, null);
    }
}
