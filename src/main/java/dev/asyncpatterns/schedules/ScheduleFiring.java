package dev.asyncpatterns.schedules;

import java.time.Instant;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobNotFoundException;
import dev.asyncpatterns.jobs.JobStore;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;

/**
 * What one due time of a schedule does, whichever store times it: apply {@link Overlap} to the
 * previous run, then start the job through the {@link JobStore} as the schedule's owner (its
 * quotas, its registry bound), the job carrying {@code scheduleId}. A due time never fails: a
 * job the store refuses becomes a REFUSED run, so no error ever reaches a timer thread.
 *
 * <p>Counts every due time and trigger in {@code asyncpatterns.schedules.fired{outcome,trigger}},
 * outcome {@code started}, {@code skipped} or {@code refused}, trigger {@code timer} or {@code manual}.
 */
@Component
class ScheduleFiring {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFiring.class);

    private final JobStore jobs;
    private final Counter timerStarted;
    private final Counter timerSkipped;
    private final Counter timerRefused;
    private final Counter manualStarted;
    private final Counter manualRefused;

    ScheduleFiring(JobStore jobs, MeterRegistry meters) {
        this.jobs = jobs;
        this.timerStarted = counter(meters, "started", "timer");
        this.timerSkipped = counter(meters, "skipped", "timer");
        this.timerRefused = counter(meters, "refused", "timer");
        this.manualStarted = counter(meters, "started", "manual");
        this.manualRefused = counter(meters, "refused", "manual");
    }

    private static Counter counter(MeterRegistry meters, String outcome, String trigger) {
        return Counter.builder("asyncpatterns.schedules.fired")
            .description("Due times and triggers of schedules, by what came of them")
            .tag("outcome", outcome).tag("trigger", trigger).register(meters);
    }

    /** A due time reached by the timer: {@code previous} is the job of the last run, null when there is none. */
    Mono<ScheduleRun> fire(Schedule schedule, Instant due, JobId previous) {
        Mono<ScheduleRun> start = submit(schedule)
            .map(job -> new ScheduleRun(job.id(), due, job.state().name(), null))
            .doOnNext(run -> timerStarted.increment())
            .onErrorResume(refused -> {
                timerRefused.increment();
                return Mono.just(refused(due, refused));
            });
        if (previous == null || schedule.overlap() == Overlap.ALLOW) {
            return start;
        }
        if (schedule.overlap() == Overlap.CANCEL_PREVIOUS) {
            return cancelIfActive(previous).then(start);
        }
        return isActive(previous).flatMap(active -> {
            if (!active) {
                return start;
            }
            timerSkipped.increment();
            return Mono.just(new ScheduleRun(null, due, ScheduleRun.SKIPPED, "the previous run " + previous
                    + " is still active and overlap is SKIP"));
        });
    }

    /**
     * One run now, asked for by the owner: it starts whatever the timing and SKIP say (CANCEL_PREVIOUS
     * still cancels the previous run). A refusal is recorded and answered to the caller (429, 503).
     */
    Mono<JobView> trigger(Schedule schedule, Instant now, JobId previous, Function<ScheduleRun, Mono<Void>> record) {
        Mono<Void> before = previous != null && schedule.overlap() == Overlap.CANCEL_PREVIOUS ? cancelIfActive(previous)
                : Mono.empty();
        return before.then(submit(schedule))
            .flatMap(job -> {
                manualStarted.increment();
                return record.apply(new ScheduleRun(job.id(), now, job.state().name(), null)).thenReturn(job);
            })
            .onErrorResume(refused -> {
                manualRefused.increment();
                return record.apply(refused(now, refused)).then(Mono.error(refused));
            });
    }

    private Mono<JobView> submit(Schedule schedule) {
        // Deferred: the in-memory store refuses by throwing at once, which must become a signal here.
        return Mono.defer(() -> jobs.submit(schedule.job().toRequest(schedule.name()),
                new JobCaller(schedule.owner(), false), schedule.id().toString()));
    }

    private Mono<Boolean> isActive(JobId job) {
        return Mono.defer(() -> jobs.await(job.toString(), 0, JobCaller.SYSTEM))
            .map(view -> !view.state().isTerminal())
            // Forgotten by retention (or deleted): it ended long ago.
            .onErrorResume(JobNotFoundException.class, gone -> Mono.just(false));
    }

    private Mono<Void> cancelIfActive(JobId job) {
        return isActive(job).filter(Boolean::booleanValue)
            .flatMap(active -> Mono.defer(() -> jobs.cancel(job.toString(), JobCaller.SYSTEM)))
            // It ended between the look and the cancel (409), or is gone (404): nothing left to cancel.
            .onErrorResume(ErrorResponseException.class, ended -> Mono.empty())
            .then();
    }

    private static ScheduleRun refused(Instant due, Throwable refused) {
        String detail;
        if (refused instanceof ErrorResponseException problem) {
            detail = problem.getBody().getDetail();
        }
        else {
            log.error("A schedule could not start its job", refused);
            detail = "the job could not be started: " + refused.getClass().getSimpleName();
        }
        return new ScheduleRun(null, due, ScheduleRun.REFUSED, detail);
    }
}
