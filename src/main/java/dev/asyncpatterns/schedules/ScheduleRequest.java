package dev.asyncpatterns.schedules;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/schedules}.
 *
 * @param name a label, also the name of every job the schedule starts
 * @param cron Spring's 6-field cron expression, seconds first; not with {@code everyMs}
 * @param everyMs a fixed period of at least 1000 ms, the first run one period after creation; not with {@code cron}
 * @param timeZone the zone {@code cron} is read in; UTC when absent
 * @param job the job each run starts
 * @param overlap what a due time does while the previous run is active; SKIP when absent
 * @param paused create it paused: no runs until resumed
 */
record ScheduleRequest(
        @Schema(description = "Label, also each job's name", example = "nightly-report") @NotBlank @Size(max = 200)
        String name,
        @Schema(description = "Spring CronExpression, 6 fields, seconds first; exactly one of cron and everyMs",
                example = "0 */5 * * * *") @Size(max = 200) String cron,
        @Schema(description = "Fixed period in ms (at least 1000); exactly one of cron and everyMs", example = "60000")
        Long everyMs,
        @Schema(description = "Zone the cron expression is read in; UTC when absent", example = "Europe/Berlin")
        @Size(max = 64) String timeZone,
        @Schema(description = "The job each run starts") @NotNull @Valid ScheduleJob job,
        @Schema(description = "SKIP (default): no new run while the last is active; ALLOW; CANCEL_PREVIOUS")
        Overlap overlap,
        @Schema(description = "Create it paused", example = "false") Boolean paused) {
}
