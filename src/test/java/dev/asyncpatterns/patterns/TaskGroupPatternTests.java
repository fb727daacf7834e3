package dev.asyncpatterns.patterns;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.web.BadRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskGroupPatternTests {

    private final TaskGroupPattern pattern = new TaskGroupPattern();

    @Test
    void aFailingChildCancelsTheSiblingsStillRunningAndTheSummaryNamesThem() {
        PatternResult result = PatternRunsSupport.runVirtually(pattern, new TaskGroupPattern.Params(5, 2, 100));
        TaskGroupPattern.Summary summary = (TaskGroupPattern.Summary) result.summary();
        assertThat(summary.outcome()).isEqualTo("failed");
        assertThat(summary.failed()).isEqualTo("task-2");
        assertThat(summary.completed()).containsExactly("task-0", "task-1");
        assertThat(summary.cancelled()).containsExactlyInAnyOrder("task-3", "task-4");
        assertThat(summary.completedAfterFailure()).isZero();
        long failedAt = PatternRunsSupport.atMs(result, "task-2", "failed");
        assertThat(failedAt).isEqualTo(300);
        assertThat(PatternRunsSupport.atMs(result, "task-4", "cancelled")).isEqualTo(failedAt);
        // The cancelled children really stopped: the run ends at the failure, not at task-4's 500 ms.
        assertThat(result.elapsedMs()).isEqualTo(300);
    }

    @Test
    void withoutAFailureEveryChildCompletes() {
        PatternResult result = PatternRunsSupport.runVirtually(pattern, new TaskGroupPattern.Params(3, null, 10));
        TaskGroupPattern.Summary summary = (TaskGroupPattern.Summary) result.summary();
        assertThat(summary.outcome()).isEqualTo("completed");
        assertThat(summary.completed()).hasSize(3);
        assertThat(summary.cancelled()).isEmpty();
    }

    @Test
    void aFailIndexPastTheLastChildIsRefusedNamingTheField() {
        assertThatThrownBy(() -> pattern.check(new TaskGroupPattern.Params(3, 3, 10), 30_000))
            .isInstanceOf(BadRequestException.class)
            .hasMessageContaining("failIndex");
    }
}
