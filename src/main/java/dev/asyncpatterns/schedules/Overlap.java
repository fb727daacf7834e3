package dev.asyncpatterns.schedules;

/** What a due time does while the schedule's previous run is still active (not terminal). */
enum Overlap {
    /** Start nothing; the due time is recorded as a SKIPPED run. */
    SKIP,
    /** Start another run beside it. */
    ALLOW,
    /** Cancel the previous run, then start the new one. */
    CANCEL_PREVIOUS
}
