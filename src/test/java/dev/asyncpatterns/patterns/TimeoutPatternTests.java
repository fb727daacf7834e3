package dev.asyncpatterns.patterns;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeoutPatternTests {

    private final TimeoutPattern pattern = new TimeoutPattern();

    @Test
    void theWorkIsCancelledAtTheTimeoutAndItsCleanupRunsBeforeTheCallerSeesTheError() {
        PatternResult result = PatternRunsSupport.runVirtually(pattern, new TimeoutPattern.Params(1000, 200));
        TimeoutPattern.Summary summary = (TimeoutPattern.Summary) result.summary();
        assertThat(summary.timedOut()).isTrue();
        assertThat(summary.workCompleted()).isFalse();
        assertThat(summary.cancelledAtMs()).isEqualTo(200);
        assertThat(summary.cleanupRan()).isTrue();
        List<String> order = result.timeline().stream().map(e -> e.task() + ":" + e.event()).toList();
        assertThat(order).containsExactly("work:started", "work:cancelled", "work:cleanup", "caller:timeout-error");
        // Cancelled work stops: nothing happens after 200 ms although it would have run to 1000.
        assertThat(result.elapsedMs()).isEqualTo(200);
    }

    @Test
    void workFasterThanTheTimeoutCompletesAndStillCleansUp() {
        PatternResult result = PatternRunsSupport.runVirtually(pattern, new TimeoutPattern.Params(100, 500));
        TimeoutPattern.Summary summary = (TimeoutPattern.Summary) result.summary();
        assertThat(summary.timedOut()).isFalse();
        assertThat(summary.workCompleted()).isTrue();
        assertThat(summary.cancelledAtMs()).isNull();
        assertThat(summary.cleanupRan()).isTrue();
    }
}
