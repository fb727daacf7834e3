package dev.asyncpatterns.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a {@code /sim/flaky} call fails. With a seed the outcomes form a fixed
 * sequence: the n-th call with seed s fails exactly when the n-th call with seed s failed in any
 * other run, so a retry demo is repeatable. Call counts are kept per seed in a bounded LRU map.
 */
class FlakyOutcomes {

    private final Map<Long, Long> callsBySeed;

    FlakyOutcomes(int maxSeeds) {
        this.callsBySeed = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > maxSeeds;
            }
        };
    }

    /** The outcome of the next call: which call it was for its seed (1-based; 0 unseeded) and whether it fails. */
    Outcome next(double failureRate, @Nullable Long seed) {
        if (seed == null) {
            return new Outcome(0, ThreadLocalRandom.current().nextDouble() < failureRate);
        }
        long call;
        synchronized (callsBySeed) {
            call = callsBySeed.merge(seed, 1L, Long::sum);
        }
        // One generator per (seed, call): the outcome depends on nothing else, not even on
        // how calls with other seeds interleave.
        double draw = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + call).nextDouble();
        return new Outcome(call, draw < failureRate);
    }

    record Outcome(long call, boolean failed) {
    }
}
