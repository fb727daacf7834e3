package dev.asyncpatterns.patterns;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockPatternTests {

    @Test
    void criticalSectionsNeverOverlapAndEachStartsWhenThePreviousEnds() {
        PatternResult result = PatternRunsSupport.runVirtually(new LockPattern(), new LockPattern.Params(5, 50));
        LockPattern.Summary summary = (LockPattern.Summary) result.summary();
        assertThat(summary.overlaps()).isZero();
        assertThat(summary.maxConcurrent()).isEqualTo(1);
        assertThat(summary.completed()).isEqualTo(5);
        List<TimelineEvent> sections = result.timeline().stream().filter(e -> !e.event().equals("waiting")).toList();
        for (int i = 0; i < sections.size(); i += 2) {
            assertThat(sections.get(i).event()).isEqualTo("acquired");
            assertThat(sections.get(i + 1).event()).isEqualTo("released");
            assertThat(sections.get(i + 1).task()).isEqualTo(sections.get(i).task());
            assertThat(sections.get(i).atMs()).isEqualTo(i / 2 * 50L);
        }
    }
}
