package dev.asyncpatterns.schedules;

import dev.asyncpatterns.security.QuotaExceededException;

/** The two bounds on creating a schedule, as every store answers them: 429 past either. */
final class ScheduleLimits {

    static final String QUOTA = "schedules.max-per-caller";

    private ScheduleLimits() {
    }

    /**
     * Throws when {@code total} schedules exist ({@code max-total}) or {@code owner} has {@code mine}
     * of them ({@code max-per-caller}) and one more would pass the bound.
     */
    static void check(SchedulesProperties limits, String owner, long total, long mine) {
        if (total >= limits.maxTotal()) {
            throw new SchedulesFullException(limits.maxTotal());
        }
        if (mine >= limits.maxPerCaller()) {
            throw new QuotaExceededException(QUOTA, limits.maxPerCaller(), mine, 1,
                    (owner == null ? "The anonymous caller" : "Caller '" + owner + "'") + " already owns " + mine
                            + " schedules, as many as asyncpatterns." + QUOTA + " allows; delete one first.");
        }
    }
}
