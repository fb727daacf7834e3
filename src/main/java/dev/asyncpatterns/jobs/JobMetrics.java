package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The registry's meters: {@code asyncpatterns.jobs.started}, {@code .active} (a gauge of the
 * admitted jobs), {@code .finished{state,type}} and {@code .duration{type}}, start to terminal
 * state; for delayed jobs {@code .scheduled} (a gauge of those waiting) and
 * {@code .start.lateness} (due time to start: the timer's slack plus any wait for a slot); {@code .retries},
 * attempts scheduled again. Tags are bounded: five terminal states, a handful of job types.
 *
 * <p>The tagged meters are looked up once per state and type and kept: registering through a
 * builder on every finished job merged and sorted their tags each time, the largest source of
 * allocation on the job path (JFR, bench W3).
 */
final class JobMetrics {

    private final MeterRegistry meters;
    private final Counter started;
    private final Timer lateness;
    private final Counter retries;
    private final Map<JobState, Map<String, Counter>> finishedByStateAndType = new EnumMap<>(JobState.class);
    private final Map<String, Timer> durationByType = new ConcurrentHashMap<>();

    JobMetrics(MeterRegistry meters, AdmissionControl admission) {
        this.meters = meters;
        this.started = Counter.builder("asyncpatterns.jobs.started").description("Jobs accepted and started")
            .register(meters);
        // The gauge holds its object weakly; the registry holds the admission control for its lifetime.
        Gauge.builder("asyncpatterns.jobs.active", admission, AdmissionControl::activeCount)
            .description("Jobs not yet in a terminal state").register(meters);
        // A histogram, so dashboards (and bench W8) read its p99 from Prometheus; 100 ms and 250 ms
        // are buckets of their own because issue 19's targets are stated in them.
        this.lateness = Timer.builder("asyncpatterns.jobs.start.lateness")
            .description("How late delayed jobs started after they were due")
            .publishPercentileHistogram()
            .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(meters);
        this.retries = Counter.builder("asyncpatterns.jobs.retries")
            .description("Attempts scheduled again: retries with backoff and dead-letter requeues").register(meters);
        for (JobState state : JobState.values()) {
            finishedByStateAndType.put(state, new ConcurrentHashMap<>());
        }
    }

    /** A job will run another attempt. */
    void retried() {
        retries.increment();
    }

    /** The gauge of jobs waiting for their start time, held weakly like the active gauge. */
    <T> void scheduled(T waiting, ToDoubleFunction<T> count) {
        Gauge.builder("asyncpatterns.jobs.scheduled", waiting, count)
            .description("Jobs waiting for their start time, or due and waiting for a slot").register(meters);
    }

    /** A due job started {@code late} after its due time. */
    void startedLate(Duration late) {
        lateness.record(late);
    }

    void started() {
        started.increment();
    }

    /** Counts a job that reached {@code state} at {@code finishedAt} (epoch millis) and records how long it ran. */
    void finished(Job job, JobState state, long finishedAt) {
        finishedByStateAndType.get(state)
            .computeIfAbsent(job.type(), type -> Counter.builder("asyncpatterns.jobs.finished")
                .description("Jobs that reached a terminal state").tag("state", state.name()).tag("type", type)
                .register(meters))
            .increment();
        durationByType.computeIfAbsent(job.type(), type -> Timer.builder("asyncpatterns.jobs.duration")
            .description("Run time of jobs, start to terminal state").tag("type", type).register(meters))
            .record(Duration.ofMillis(Math.max(0, finishedAt - job.startedOrCreatedAt())));
    }
}
