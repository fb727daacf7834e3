package dev.asyncpatterns.jobs;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobStateTests {

    private static final EnumSet<JobState> TERMINAL =
            EnumSet.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED, JobState.TIMED_OUT);

    @Test
    void exactlyTheFourEndStatesAreTerminal() {
        for (JobState state : JobState.values()) {
            assertThat(state.isTerminal()).as(state.name()).isEqualTo(TERMINAL.contains(state));
        }
    }

    @Test
    void terminalStatesAreAbsorbing() {
        for (JobState from : TERMINAL) {
            for (JobState to : JobState.values()) {
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isFalse();
            }
        }
    }

    @Test
    void aRunningJobCanReachEveryTerminalStateOrWaitForARetryButNotGoBack() {
        EnumSet<JobState> ends = EnumSet.copyOf(TERMINAL);
        ends.add(JobState.SCHEDULED);
        assertThat(EnumSet.allOf(JobState.class)).filteredOn(JobState.RUNNING::canMoveTo).containsExactlyInAnyOrderElementsOf(ends);
        assertThat(JobState.RUNNING.canMoveTo(JobState.PENDING)).isFalse();
        assertThat(JobState.PENDING.canMoveTo(JobState.RUNNING)).isTrue();
        assertThat(JobState.PENDING.canMoveTo(JobState.TIMED_OUT)).isFalse();
        assertThat(JobState.PENDING.canMoveTo(JobState.SUCCEEDED)).isFalse();
    }

    @Test
    void aScheduledJobBecomesDueOrIsCancelledAndNeverRunsDirectly() {
        assertThat(EnumSet.allOf(JobState.class)).filteredOn(JobState.SCHEDULED::canMoveTo)
            .containsExactlyInAnyOrder(JobState.PENDING, JobState.CANCELLED);
        assertThat(JobState.SCHEDULED.isTerminal()).isFalse();
    }
}
