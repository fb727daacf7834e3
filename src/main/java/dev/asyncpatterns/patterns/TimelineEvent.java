package dev.asyncpatterns.patterns;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a pattern run.
 *
 * @param task who acted, e.g. {@code task-2}, {@code producer-0}, {@code setter}
 * @param event what happened, e.g. {@code acquired}, {@code released}, {@code cancelled}
 * @param atMs milliseconds since the run started; events are listed in the order they
 *     happened, so equal {@code atMs} values keep that order
 * @param detail the item, thread or value the event is about, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TimelineEvent(String task, String event, long atMs, String detail) {
}
