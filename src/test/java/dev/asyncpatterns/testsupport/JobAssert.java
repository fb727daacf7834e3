package dev.asyncpatterns.testsupport;

import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

import dev.asyncpatterns.jobs.CancelReason;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;

/** AssertJ assertions on a job as the API shows it, so tests read as the job's life story. */
public final class JobAssert extends AbstractAssert<JobAssert, JobView> {

    private JobAssert(JobView actual) {
        super(actual, JobAssert.class);
    }

    public static JobAssert assertThatJob(JobView actual) {
        return new JobAssert(actual);
    }

    public JobAssert hasState(JobState expected) {
        isNotNull();
        if (actual.state() != expected) {
            failWithMessage("Expected job %s to be %s but was %s", actual.id(), expected, actual.state());
        }
        return this;
    }

    /** Terminal, with a finish instant not before its start. */
    public JobAssert isTerminal() {
        isNotNull();
        if (!actual.state().isTerminal()) {
            failWithMessage("Expected job %s to be terminal but was %s", actual.id(), actual.state());
        }
        if (actual.finishedAt() == null) {
            failWithMessage("Expected terminal job %s to have finishedAt", actual.id());
        }
        if (actual.startedAt() != null && actual.finishedAt().isBefore(actual.startedAt())) {
            failWithMessage("Job %s finished at %s before it started at %s", actual.id(), actual.finishedAt(),
                    actual.startedAt());
        }
        return this;
    }

    public JobAssert isCancelledBecause(CancelReason reason) {
        hasState(JobState.CANCELLED).isTerminal();
        if (actual.cancelReason() != reason) {
            failWithMessage("Expected job %s cancelled by %s but cancelReason was %s", actual.id(), reason,
                    actual.cancelReason());
        }
        return this;
    }

    public JobAssert succeededWith(Object result) {
        hasState(JobState.SUCCEEDED).isTerminal();
        if (!Objects.equals(actual.result(), result)) {
            failWithMessage("Expected job %s to succeed with %s but result was %s", actual.id(), result, actual.result());
        }
        if (actual.error() != null || actual.cancelReason() != null) {
            failWithMessage("Succeeded job %s carries error %s / cancelReason %s", actual.id(), actual.error(),
                    actual.cancelReason());
        }
        return this;
    }

    public JobAssert failedWith(String errorType) {
        hasState(JobState.FAILED).isTerminal();
        if (actual.error() == null || !errorType.equals(actual.error().type())) {
            failWithMessage("Expected job %s to fail with %s but error was %s", actual.id(), errorType, actual.error());
        }
        return this;
    }

    public JobAssert hasProgress(long completed, Long total) {
        isNotNull();
        if (actual.progress().completed() != completed || !Objects.equals(actual.progress().total(), total)) {
            failWithMessage("Expected job %s progress %s/%s but was %s", actual.id(), completed, total, actual.progress());
        }
        return this;
    }
}
