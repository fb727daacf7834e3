package dev.asyncpatterns.patterns;

import java.util.List;

/** Summary arithmetic over a timeline, shared by the patterns so each rule is written once. */
final class TimelineStats {

    private TimelineStats() {
    }

    /**
     * How many tasks were between {@code enter} and {@code exit} at once.
     *
     * @param max the most at the same time
     * @param overlaps how many entries happened while another task was already inside
     * @param entered entries seen
     */
    record Occupancy(int max, int overlaps, int entered) {
    }

    static Occupancy occupancy(List<TimelineEvent> events, String enter, String exit) {
        int inside = 0;
        int max = 0;
        int overlaps = 0;
        int entered = 0;
        for (TimelineEvent e : events) {
            if (e.event().equals(enter)) {
                if (inside > 0) {
                    overlaps++;
                }
                inside++;
                entered++;
                max = Math.max(max, inside);
            }
            else if (e.event().equals(exit)) {
                inside--;
            }
        }
        return new Occupancy(max, overlaps, entered);
    }

    /** The tasks that recorded {@code event}, in timeline order. */
    static List<String> tasksWith(List<TimelineEvent> events, String event) {
        return events.stream().filter(e -> e.event().equals(event)).map(TimelineEvent::task).toList();
    }

    /** The details (items, threads) recorded with {@code event}, in timeline order. */
    static List<String> detailsOf(List<TimelineEvent> events, String event) {
        return events.stream().filter(e -> e.event().equals(event)).map(TimelineEvent::detail).toList();
    }

    /** Position of the first {@code event}, or -1. */
    static int indexOf(List<TimelineEvent> events, String event) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).event().equals(event)) {
                return i;
            }
        }
        return -1;
    }

    /** How many {@code event}s were recorded at positions before {@code index} (all if -1). */
    static int countBefore(List<TimelineEvent> events, String event, int index) {
        int end = index < 0 ? events.size() : index;
        return (int) events.subList(0, end).stream().filter(e -> e.event().equals(event)).count();
    }

    static String taskName(String prefix, int index) {
        return prefix + "-" + index;
    }
}
