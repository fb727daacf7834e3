package dev.asyncpatterns.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class FlakyOutcomesTests {

    @Test
    void theSameSeedGivesTheSameSequenceOfOutcomes() {
        FlakyOutcomes first = new FlakyOutcomes(10);
        FlakyOutcomes second = new FlakyOutcomes(10);

        List<FlakyOutcomes.Outcome> a = IntStream.range(0, 50).mapToObj(i -> first.next(0.5, 42L)).toList();
        // Calls with another seed in between must not shift the sequence.
        List<FlakyOutcomes.Outcome> b = IntStream.range(0, 50).mapToObj(i -> {
            second.next(0.5, 7L);
            return second.next(0.5, 42L);
        }).toList();

        assertThat(a).isEqualTo(b);
        assertThat(a).extracting(FlakyOutcomes.Outcome::call).startsWith(1L, 2L, 3L);
    }

    @Test
    void theShareOfFailuresFollowsTheRate() {
        FlakyOutcomes outcomes = new FlakyOutcomes(10);

        long failed = IntStream.range(0, 2000).filter(i -> outcomes.next(0.3, 5L).failed()).count();

        assertThat(failed).isBetween(500L, 700L);
    }

    @Test
    void onlyTheMostRecentlyUsedSeedsAreRemembered() {
        FlakyOutcomes outcomes = new FlakyOutcomes(2);
        outcomes.next(0.5, 1L);
        outcomes.next(0.5, 2L);
        outcomes.next(0.5, 3L);

        assertThat(outcomes.next(0.5, 1L).call()).isEqualTo(1);
        assertThat(outcomes.next(0.5, 3L).call()).isEqualTo(2);
    }
}
