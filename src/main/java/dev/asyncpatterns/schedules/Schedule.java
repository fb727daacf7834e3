package dev.asyncpatterns.schedules;

import java.time.Instant;

/**
 * A validated schedule as every store keeps it: what it starts and when, and whose it is.
 *
 * @param owner the caller that created it (null when anonymous): its jobs run as this caller, and
 *              only this caller sees it
 * @param timeZone the zone id its cron expression is read in
 */
record Schedule(ScheduleId id, String name, String cron, Long everyMs, String timeZone, ScheduleJob job,
        Overlap overlap, String owner, Instant createdAt) {

    Timing timing() {
        return Timing.of(cron, everyMs, timeZone);
    }
}
