package dev.asyncpatterns.jobs;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import reactor.test.scheduler.VirtualTimeScheduler;

import static dev.asyncpatterns.jobs.JobCaller.SYSTEM;
import static dev.asyncpatterns.jobs.JobRegistryFixture.admissions;
import static dev.asyncpatterns.jobs.JobRegistryFixture.properties;
import static dev.asyncpatterns.jobs.JobRegistryFixture.request;
import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link JobAdmission} seam: what an admission reserves for a job is given back exactly once,
 * whatever way the job ends, and at once when the job is refused or never started.
 */
class JobAdmissionTests {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.7", 40000);

    private final ControlledJobType controlled = new ControlledJobType();
    private final Recording first = new Recording();
    private final Recording second = new Recording();
    private final JobRegistry registry = registry();

    /** A registry whose admissions run in the order first, second. */
    private JobRegistry registry() {
        return JobRegistryFixture.registry(properties(10, 100, 3_600_000, 60_000, 100), new SimpleMeterRegistry(),
                admissions(first, second), controlled);
    }

    @AfterEach
    void stop() throws InterruptedException {
        JobRegistryFixture.stop(registry, 5);
        VirtualTimeScheduler.reset();
    }

    private JobView submit(Long timeoutMs) {
        return registry.submit(request("controlled", "{\"level\": 4}", timeoutMs), new JobCaller("alice", false, CLIENT));
    }

    @Test
    void everyAdmissionSeesTheCallerAndTheCostItsTypeComputedFromTheBoundParams() {
        submit(null);

        assertThat(first.seen).singleElement().satisfies(admitted -> {
            assertThat(admitted.caller()).isEqualTo(new JobCaller("alice", false, CLIENT));
            assertThat(admitted.cost()).isEqualTo(new JobCost(4, 0));
        });
        assertThat(first.held()).isEqualTo(1);
    }

    @Test
    void aSucceededJobGivesItsReservationBackOnce() {
        submit(null);
        controlled.last().succeed("done");

        assertThat(first.released.get()).isEqualTo(1);
        assertThat(second.released.get()).isEqualTo(1);
    }

    @Test
    void aFailedJobGivesItsReservationBackOnce() {
        submit(null);
        controlled.last().fail(new IllegalStateException("boom"));

        assertThat(first.released.get()).isEqualTo(1);
    }

    @Test
    void aCancelledJobGivesItsReservationBackOnceAndItsWorkStops() {
        JobView job = submit(null);
        registry.cancel(job.id().toString(), SYSTEM);
        // A late outcome of the cancelled work must not give it back a second time.
        controlled.last().succeed("late");

        assertThat(first.released.get()).isEqualTo(1);
        controlled.last().probe().assertWasCancelled();
    }

    @Test
    void aTimedOutJobGivesItsReservationBackOnce() {
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        JobView job = submit(1_000L);
        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(first.released.get()).isZero();

        time.advanceTimeBy(Duration.ofMillis(1));

        assertThatJob(registry.get(job.id().toString(), SYSTEM)).hasState(JobState.TIMED_OUT);
        assertThat(first.released.get()).isEqualTo(1);
    }

    @Test
    void aRefusalGivesBackWhatEarlierAdmissionsReservedAndStartsNothing() {
        second.refuse = true;

        assertThatThrownBy(() -> submit(null)).isInstanceOf(ErrorResponseException.class);

        assertThat(first.seen).hasSize(1);
        assertThat(first.released.get()).isEqualTo(1);
        assertThat(controlled.runs).isEmpty();
        assertThat(registry.activeCount()).isZero();
        assertThat(registry.list(null, null, null, SYSTEM)).isEmpty();
    }

    @Test
    void jobsStillRunningAtShutdownGiveTheirReservationsBack() throws InterruptedException {
        submit(null);
        submit(null);

        stop();

        assertThat(first.released.get()).isEqualTo(2);
    }

    /** Records what it admitted and how often each reservation was given back. */
    private static final class Recording implements JobAdmission {

        record Admitted(JobCaller caller, JobCost cost) {
        }

        final List<Admitted> seen = new CopyOnWriteArrayList<>();
        final AtomicInteger released = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public Runnable admit(JobCaller caller, JobCost cost) {
            if (refuse) {
                throw new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS);
            }
            seen.add(new Admitted(caller, cost));
            return released::incrementAndGet;
        }

        int held() {
            return seen.size() - released.get();
        }
    }
}
