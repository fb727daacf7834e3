package dev.asyncpatterns.schedules;

import java.time.Instant;
import java.util.List;

/**
 * The schedule JSON of API.md §11.
 *
 * @param nextRunAt its next due time; null while paused (or for a cron expression that never matches again)
 * @param lastRuns its newest runs first, at least the 10 newest kept
 * @param createdBy the caller that owns it, null when anonymous
 */
record ScheduleView(ScheduleId id, String name, String cron, Long everyMs, String timeZone, ScheduleJob job,
        Overlap overlap, boolean paused, Instant nextRunAt, List<ScheduleRun> lastRuns, String createdBy,
        Instant createdAt) {

    static ScheduleView of(Schedule schedule, boolean paused, Instant nextRunAt, List<ScheduleRun> lastRuns) {
        return new ScheduleView(schedule.id(), schedule.name(), schedule.cron(), schedule.everyMs(),
                schedule.timeZone(), schedule.job(), schedule.overlap(), paused, nextRunAt, lastRuns,
                schedule.owner(), schedule.createdAt());
    }

    ScheduleView withRuns(List<ScheduleRun> runs) {
        return new ScheduleView(id, name, cron, everyMs, timeZone, job, overlap, paused, nextRunAt, runs, createdBy,
                createdAt);
    }
}
