package dev.asyncpatterns.jobs;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionControlTests {

    private static final JobCaller ALICE = new JobCaller("alice", false);

    private final AtomicInteger held = new AtomicInteger();
    private final JobAdmission counting = (caller, cost) -> {
        held.addAndGet((int) cost.cpuWork());
        return () -> held.addAndGet((int) -cost.cpuWork());
    };

    private static AdmissionControl opened(int maxActive, JobAdmission... admissions) {
        AdmissionControl control = new AdmissionControl(maxActive, 7, List.of(admissions));
        control.open();
        return control;
    }

    @Test
    void pastMaxActiveAJobIsRefusedWithRetryAfterAndHoldsNothing() {
        AdmissionControl control = opened(2, counting);
        control.admit(JobId.random(), ALICE, new JobCost(5, 0));
        control.admit(JobId.random(), ALICE, new JobCost(5, 0));

        assertThatThrownBy(() -> control.admit(JobId.random(), ALICE, new JobCost(5, 0)))
            .isInstanceOfSatisfying(RegistryFullException.class, full -> {
                assertThat(full.getStatusCode().value()).isEqualTo(429);
                assertThat(full.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
            });
        assertThat(control.activeCount()).isEqualTo(2);
        assertThat(held.get()).as("the refused job reserved nothing").isEqualTo(10);
    }

    @Test
    void aRefusingAdmissionGivesBackWhatEarlierOnesReservedAndTheSlot() {
        JobAdmission refusing = (caller, cost) -> {
            throw new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS);
        };
        AdmissionControl control = opened(2, counting, refusing);

        assertThatThrownBy(() -> control.admit(JobId.random(), ALICE, new JobCost(5, 0)))
            .isInstanceOf(ErrorResponseException.class);

        assertThat(held.get()).isZero();
        assertThat(control.activeCount()).isZero();
    }

    @Test
    void releaseGivesBackTheSlotAndEveryReservationOnlyOnce() {
        AdmissionControl control = opened(2, counting);
        JobId job = JobId.random();
        control.admit(job, ALICE, new JobCost(5, 0));
        control.admit(JobId.random(), ALICE, new JobCost(3, 0));

        control.release(job);
        control.release(job);

        assertThat(control.activeCount()).isEqualTo(1);
        assertThat(held.get()).isEqualTo(3);
    }

    @Test
    void afterCloseTheDrainSignalCompletesWhenTheLastAdmittedJobIsReleased() {
        AdmissionControl control = opened(3, counting);
        JobId first = JobId.random();
        JobId second = JobId.random();
        control.admit(first, ALICE, JobCost.NONE);
        control.admit(second, ALICE, JobCost.NONE);

        CompletableFuture<Void> drained = control.close().toFuture();
        assertThat(control.isOpen()).isFalse();
        control.release(first);
        assertThat(drained).isNotDone();

        control.release(second);
        assertThat(drained).isCompleted();
    }

    @Test
    void closingWithNothingAdmittedIsDrainedAtOnceAndReopeningArmsAFreshSignal() {
        AdmissionControl control = opened(3);
        assertThat(control.close().toFuture()).isCompleted();

        control.open();
        JobId job = JobId.random();
        control.admit(job, ALICE, JobCost.NONE);
        CompletableFuture<Void> drained = control.close().toFuture();

        assertThat(drained).isNotDone();
        control.release(job);
        assertThat(drained).isCompleted();
    }
}
