package dev.asyncpatterns.patterns;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SemaphorePatternTests {

    private final SemaphorePattern pattern = new SemaphorePattern();

    @Test
    void neverMoreTasksWorkAtOnceThanThereArePermitsAndPermitsGoInArrivalOrder() {
        PatternResult result = PatternRunsSupport.runVirtually(pattern, new SemaphorePattern.Params(3, 10, 100));
        SemaphorePattern.Summary summary = (SemaphorePattern.Summary) result.summary();
        assertThat(summary.maxConcurrent()).isEqualTo(3);
        assertThat(summary.completed()).isEqualTo(10);
        assertThat(summary.fifo()).isTrue();
        // Four rounds of 100 ms: 3 + 3 + 3 + 1 tasks.
        assertThat(result.elapsedMs()).isEqualTo(400);
        assertThat(PatternRunsSupport.atMs(result, "task-3", "acquired")).isEqualTo(100);
    }

    @Test
    void theSummaryIsRecomputedFromTheTimelineAlone() {
        PatternResult result = PatternRunsSupport.runVirtually(pattern, new SemaphorePattern.Params(2, 5, 10));
        assertThat(TimelineStats.occupancy(result.timeline(), "acquired", "released").max())
            .isEqualTo(((SemaphorePattern.Summary) result.summary()).maxConcurrent())
            .isLessThanOrEqualTo(2);
    }
}
