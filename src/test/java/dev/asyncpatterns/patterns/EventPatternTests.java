package dev.asyncpatterns.patterns;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventPatternTests {

    @Test
    void everyWaiterResumesAfterTheSetAndNoneBefore() {
        PatternResult result = PatternRunsSupport.runVirtually(new EventPattern(), new EventPattern.Params(4, 250));
        EventPattern.Summary summary = (EventPattern.Summary) result.summary();
        assertThat(summary.waiters()).isEqualTo(4);
        assertThat(summary.resumed()).isEqualTo(4);
        assertThat(summary.resumedBeforeSet()).isZero();
        assertThat(summary.setAtMs()).isEqualTo(250);
        assertThat(result.timeline()).filteredOn(e -> e.event().equals("resumed"))
            .allSatisfy(e -> assertThat(e.atMs()).isEqualTo(250));
    }
}
