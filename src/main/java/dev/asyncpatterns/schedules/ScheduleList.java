package dev.asyncpatterns.schedules;

import java.util.List;

/** The answer of {@code GET /api/schedules}. */
record ScheduleList(List<ScheduleView> schedules) {
}
