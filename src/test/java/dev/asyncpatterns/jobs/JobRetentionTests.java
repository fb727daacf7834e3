package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class JobRetentionTests {

    private final Map<JobId, Job> jobs = new ConcurrentHashMap<>();
    private final SettableClock clock = new SettableClock();

    @AfterEach
    void resetTime() {
        VirtualTimeScheduler.reset();
    }

    private JobRetention retention(int maxCount, long maxAgeMs) {
        return new JobRetention(new JobsProperties.Retention(maxCount, Duration.ofMillis(maxAgeMs)), jobs, clock);
    }

    /** A job of the registry that finished now. */
    private Job finishedNow() {
        Job job = new Job(JobId.random(), jobs.size(), "t", null, null, 0, clock.millis(), null);
        jobs.put(job.id(), job);
        job.transition(JobState.RUNNING, clock.millis(), null, null, null, () -> { });
        job.transition(JobState.SUCCEEDED, clock.millis(), "done", null, null, () -> { });
        return job;
    }

    @Test
    void pastMaxCountTheOldestFinishedJobsAreForgotten() {
        JobRetention retention = retention(2, 3_600_000);
        Job oldest = finishedNow();
        Job middle = finishedNow();
        Job newest = finishedNow();

        retention.finished(oldest);
        retention.finished(middle);
        assertThat(jobs).containsKeys(oldest.id(), middle.id());
        retention.finished(newest);

        assertThat(jobs.keySet()).containsExactlyInAnyOrder(middle.id(), newest.id());
    }

    @Test
    void aForgottenJobNoLongerCountsAgainstMaxCount() {
        JobRetention retention = retention(2, 3_600_000);
        Job deleted = finishedNow();
        Job kept = finishedNow();
        retention.finished(deleted);
        retention.finished(kept);

        retention.forget(deleted);
        Job next = finishedNow();
        retention.finished(next);

        assertThat(jobs.keySet()).containsExactlyInAnyOrder(kept.id(), next.id());
    }

    @Test
    void evictingForgetsJobsThatFinishedMaxAgeAgoAndKeepsYoungerOnes() {
        JobRetention retention = retention(100, 1_000);
        Job old = finishedNow();
        retention.finished(old);
        clock.advance(Duration.ofMillis(400));
        Job young = finishedNow();
        retention.finished(young);

        clock.advance(Duration.ofMillis(599));
        retention.evictExpired();
        assertThat(jobs).containsKeys(old.id(), young.id());

        clock.advance(Duration.ofMillis(1));
        retention.evictExpired();
        assertThat(jobs.keySet()).containsExactly(young.id());
    }

    @Test
    void theSweepForgetsExpiredJobsWithoutAnyListUntilStopped() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        JobRetention retention = retention(100, 5_000);
        retention.start();
        Job first = finishedNow();
        retention.finished(first);

        clock.advance(Duration.ofMillis(5_000));
        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(jobs).containsKey(first.id());
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(jobs).doesNotContainKey(first.id());

        retention.stop();
        Job second = finishedNow();
        retention.finished(second);
        clock.advance(Duration.ofMillis(5_000));
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(jobs).containsKey(second.id());
    }

    /** A clock the test moves by hand, as the virtual scheduler moves the sweep. */
    private static final class SettableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
