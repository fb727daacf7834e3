/**
 * Recurring schedules ({@code /api/schedules}, API.md §11): asyncio's {@code loop.call_at} again
 * and again, the way a cron-like loop re-arms one timer per schedule. Each due time starts one job
 * through the job store as the schedule's owner, the job carrying {@code scheduleId}; overlap
 * decides what happens while the previous run is still active. In memory each schedule has its
 * own timer; with {@code asyncpatterns.store=postgres} schedules are rows every instance polls, and a
 * due time's run row makes it start one job across the cluster.
 */
package dev.asyncpatterns.schedules;
