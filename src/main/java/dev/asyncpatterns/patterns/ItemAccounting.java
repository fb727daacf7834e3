package dev.asyncpatterns.patterns;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exactly-once accounting of items through a producer/consumer timeline: each item should be
 * produced once and consumed once, never before it was produced.
 *
 * @param produced items produced
 * @param consumed items consumed
 * @param duplicates consumptions beyond the first of an item
 * @param missing produced items nobody consumed
 * @param consumedOnce whether every produced item was consumed exactly once
 */
record ItemAccounting(int produced, int consumed, int duplicates, int missing, boolean consumedOnce) {

    static ItemAccounting of(List<TimelineEvent> events, String produceEvent, String consumeEvent) {
        List<String> produced = TimelineStats.detailsOf(events, produceEvent);
        List<String> consumed = TimelineStats.detailsOf(events, consumeEvent);
        Map<String, Integer> times = new HashMap<>();
        consumed.forEach(item -> times.merge(item, 1, Integer::sum));
        int duplicates = times.values().stream().mapToInt(n -> n - 1).sum();
        int missing = (int) produced.stream().filter(item -> !times.containsKey(item)).count();
        boolean once = duplicates == 0 && missing == 0 && produced.size() == consumed.size();
        return new ItemAccounting(produced.size(), consumed.size(), duplicates, missing, once);
    }

    /** Item {@code k}'s name; producers share items round robin by k. */
    static String item(int k) {
        return "item-" + k;
    }
}
