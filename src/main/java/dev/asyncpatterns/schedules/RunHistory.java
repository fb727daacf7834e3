package dev.asyncpatterns.schedules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.asyncpatterns.jobs.JobId;

/** A schedule's newest runs, at most {@link #KEPT}: a ring, so a schedule that fires forever stays small. */
final class RunHistory {

    /** API.md §11 promises at least the 10 newest. */
    static final int KEPT = 10;

    private final Deque<ScheduleRun> runs = new ArrayDeque<>(KEPT);

    synchronized void record(ScheduleRun run) {
        if (runs.size() == KEPT) {
            runs.removeLast();
        }
        runs.addFirst(run);
    }

    /** Newest first. */
    synchronized List<ScheduleRun> newestFirst() {
        return new ArrayList<>(runs);
    }

    /** The job of the newest run that started one: the run overlap looks at; null when none did. */
    synchronized JobId previousJob() {
        for (ScheduleRun run : runs) {
            if (run.jobId() != null) {
                return run.jobId();
            }
        }
        return null;
    }
}
