package dev.asyncpatterns.patterns;

import java.util.List;

/**
 * The answer of {@code POST /api/patterns/{name}}.
 *
 * @param pattern the pattern's name
 * @param elapsedMs how long the run took
 * @param summary the pattern's numbers, computed from {@code timeline}
 * @param timeline every step, in the order it happened
 */
record PatternResult(String pattern, long elapsedMs, Object summary, List<TimelineEvent> timeline) {
}
