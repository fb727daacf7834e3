package dev.asyncpatterns.jobs;

/**
 * One event of {@code GET /api/jobs/{id}/events}: {@code name} is the SSE event name
 * ({@code state} with the whole job, or {@code progress} with {@code {completed, total}}).
 */
public record JobEvent(String name, Object data) {

    /** The SSE event carrying the whole job. */
    public static final String STATE = "state";
    /** The SSE event carrying {@code {completed, total}}. */
    public static final String PROGRESS = "progress";
}
