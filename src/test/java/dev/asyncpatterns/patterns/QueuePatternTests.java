package dev.asyncpatterns.patterns;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueuePatternTests {

    @Test
    void producersWaitWhenFullAndTheDepthNeverExceedsTheCapacity() {
        PatternResult result = PatternRunsSupport.runVirtually(new QueuePattern(),
                new QueuePattern.Params(20, 2, 2, 3, 20));
        QueuePattern.Summary summary = (QueuePattern.Summary) result.summary();
        assertThat(summary.maxDepth()).isEqualTo(3);
        assertThat(summary.producerWaits()).isPositive();
        assertThat(summary.items().consumedOnce()).isTrue();
        // Two consumers, 20 ms per item, 20 items: the consumers set the pace.
        assertThat(result.elapsedMs()).isEqualTo(200);
    }

    @Test
    void anItemHandedStraightToAWaitingConsumerNeverCountsAsQueued() {
        List<TimelineEvent> handOff = List.of(new TimelineEvent("consumer-0", "got", 0, "item-0"),
                new TimelineEvent("producer-0", "put", 0, "item-0"));
        assertThat(QueuePattern.maxDepth(handOff)).isZero();
    }
}
