package dev.asyncpatterns.schedules;

import java.time.Instant;
import java.util.function.Function;

import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * A schedule held in this process: its definition, its one timer and its runs. Every change of
 * the timer happens under this object's monitor, so a pause, a delete or a shutdown racing a firing
 * timer always wins: once {@link #stop} or {@link #pause} returned, no timer of this schedule is
 * armed and none will be.
 */
final class LiveSchedule {

    private final Schedule schedule;
    private final Timing timing;
    private final RunHistory runs = new RunHistory();
    private boolean paused;
    private boolean stopped;
    private Instant nextRunAt;
    private Disposable timer = Disposables.disposed();

    LiveSchedule(Schedule schedule, boolean paused) {
        this.schedule = schedule;
        this.timing = schedule.timing();
        this.paused = paused;
    }

    Schedule schedule() {
        return schedule;
    }

    Timing timing() {
        return timing;
    }

    RunHistory runs() {
        return runs;
    }

    /**
     * Arms the timer for {@code due} (null: a cron expression that never matches again) unless the
     * schedule is paused or stopped. {@code timerFor} subscribes the timer; it runs under the monitor.
     */
    synchronized void arm(Instant due, Function<Instant, Disposable> timerFor) {
        if (paused || stopped) {
            return;
        }
        timer.dispose();
        nextRunAt = due;
        timer = due == null ? Disposables.disposed() : timerFor.apply(due);
    }

    /** Returns false when it was paused already. */
    synchronized boolean pause() {
        boolean was = paused;
        paused = true;
        nextRunAt = null;
        timer.dispose();
        return !was;
    }

    /** Returns false when it was not paused. */
    synchronized boolean resume() {
        boolean was = paused;
        paused = false;
        return was;
    }

    /** Deleted or shut down: the timer is disposed for good. */
    synchronized void stop() {
        stopped = true;
        nextRunAt = null;
        timer.dispose();
    }

    synchronized ScheduleView view() {
        return ScheduleView.of(schedule, paused, nextRunAt, runs.newestFirst());
    }
}
