package dev.asyncpatterns.patterns;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionPatternTests {

    @Test
    void everyItemIsConsumedExactlyOnceAndNeverBeforeItWasProduced() {
        PatternResult result = PatternRunsSupport.runVirtually(new ConditionPattern(),
                new ConditionPattern.Params(2, 3, 20));
        ConditionPattern.Summary summary = (ConditionPattern.Summary) result.summary();
        assertThat(summary.items().consumedOnce()).isTrue();
        assertThat(summary.items().produced()).isEqualTo(20);
        assertThat(summary.items().consumed()).isEqualTo(20);
        assertThat(summary.waits()).as("consumers outpace paced producers, so they wait").isPositive();
        List<TimelineEvent> timeline = result.timeline();
        for (int i = 0; i < timeline.size(); i++) {
            TimelineEvent e = timeline.get(i);
            if (e.event().equals("consumed")) {
                assertThat(timeline.subList(0, i)).as("%s produced before consumed", e.detail())
                    .anyMatch(p -> p.event().equals("produced") && p.detail().equals(e.detail()));
            }
        }
    }

    @Test
    void moreConsumersThanItemsStillAllFinish() {
        PatternResult result = PatternRunsSupport.runVirtually(new ConditionPattern(),
                new ConditionPattern.Params(1, 5, 2));
        assertThat(((ConditionPattern.Summary) result.summary()).items().consumedOnce()).isTrue();
    }
}
