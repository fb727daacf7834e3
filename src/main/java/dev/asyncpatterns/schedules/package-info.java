/**
 * Recurring schedules ({@code /api/schedules}, API.md §11): asyncio's {@code loop.call_at} again
 * and again, the way a cron-like loop re-arms one timer per schedule. Each due time starts one job
 * through the job store as the schedule's owner, the job carrying {@code scheduleId}; overlap
 * decides what happens while the previous run is still active.
 */
package dev.asyncpatterns.schedules;
